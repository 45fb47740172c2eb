/** A public notice at its stable address (the one on the QR code): its latest version. No sign-in. */
import type { RouteHandle } from "~/root.tsx";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { NoticeView, type NoticePageData } from "~/components/NoticeView.tsx";
import type { FormFailure } from "~/http/forms.server.ts";
import { noticeHeaders, noticePageAction, noticePageLoader } from "~/notices/page.server.ts";

/** Served without scripts: plain HTML and forms, for phones on weak networks (decision 026). */
export const handle: RouteHandle = { hydrate: false, title: ({ data }) => (data as { version: { title: string } }).version.title };

export const loader = ({ request, params }: LoaderFunctionArgs) => noticePageLoader(request, params);
export const action = ({ request, params, context }: ActionFunctionArgs) => noticePageAction(request, params, context);
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => noticeHeaders({ loaderHeaders, actionHeaders });

export default function NoticeLatestPage() {
  // The loader sends NoticePageData; Remix types it as its JSON form (optional `unknown` fields).
  const data = useLoaderData<typeof loader>() as NoticePageData;
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  return <NoticeView data={data} failure={failure} />;
}
