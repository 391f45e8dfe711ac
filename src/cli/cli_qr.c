/* SPDX-License-Identifier: MIT */
/* cli_qr.c — render text as a QR code on the terminal (libqrencode). */
#include <stdio.h>
#include <qrencode.h>

#include "cli.h"

/*
 * Two modules per character cell with Unicode half blocks, dark on light, and
 * a quiet zone of 2 modules so phones can scan it from a dark terminal.
 */
int
cli_print_qr(FILE *f, const char *text)
{
	QRcode *qr;
	int x, y, w, top, bot;
	const int q = 2;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1)) == NULL)
		return CCL_ERR_NOMEM;
	w = qr->width;
	for (y = -q; y < w + q; y += 2) {
		for (x = -q; x < w + q; x++) {
			top = y >= 0 && y < w && x >= 0 && x < w && (qr->data[y * w + x] & 1);
			bot = y + 1 >= 0 && y + 1 < w && x >= 0 && x < w &&
			    (qr->data[(y + 1) * w + x] & 1);
			/* light background: print the light parts as blocks */
			if (!top && !bot)
				fputs("\xe2\x96\x88", f);       /* █ */
			else if (!top && bot)
				fputs("\xe2\x96\x80", f);       /* ▀ */
			else if (top && !bot)
				fputs("\xe2\x96\x84", f);       /* ▄ */
			else
				fputc(' ', f);
		}
		fputc('\n', f);
	}
	QRcode_free(qr);
	return 0;
}
