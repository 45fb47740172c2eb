/**
 * The QR code of a notice's stable address, as SVG (small, sharp at any print size), to post at
 * rider stations. Generated with `qrcode` (decision 017).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import QRCode from "qrcode";
import { DomainError } from "~/domain/errors.ts";
import { runLoader } from "~/http/forms.server.ts";
import { seriesStamp } from "~/models/notice.server.ts";
import { apiCacheHeaders, noticeIdSchema } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  return runLoader(async () => {
    const id = noticeIdSchema.safeParse(params.id);
    if (!id.success || !(await seriesStamp(id.data))) throw new DomainError("notFound");
    const target = `${publicOrigin()}/notices/${id.data}`;
    const svg = await QRCode.toString(target, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    return new Response(svg, { headers: apiCacheHeaders(["qr", target], "image/svg+xml; charset=utf-8", 86_400) });
  });
}
