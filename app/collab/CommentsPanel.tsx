/**
 * Comment threads in the margin beside the draft, anchored to text with Yjs relative positions
 * (via y-tiptap's mapping between ProseMirror positions and the Y.XmlFragment), so each stays on
 * its words through edits. Stored and pushed by the server; editors and commenters may write.
 */
import { useEffect, useState } from "react";
import type { Editor } from "@tiptap/react";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { DOC_EVENTS } from "../../realtime/protocol.ts";
import type { DraftProvider } from "./provider.ts";
import { SIDE_COLOURS } from "./colours.ts";

type Reply = { id: string; side: "WORKER" | "EMPLOYER" | null; body: string; author: string; createdAt: string; mentions: string[] };
export type Thread = Reply & { anchorStart: string | null; anchorEnd: string | null; quote: string | null; resolved: boolean; replies: Reply[] };

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

function syncState(editor: Editor) {
  return ySyncPluginKey.getState(editor.state) as { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: unknown } } | undefined;
}

/** Current ProseMirror range of a thread's anchors, or null if the words were deleted. */
function rangeOf(editor: Editor, thread: Thread): { from: number; to: number } | null {
  const state = syncState(editor);
  if (!state?.binding || !thread.anchorStart || !thread.anchorEnd) return null;
  const from = relativePositionToAbsolutePosition(state.doc, state.type, Y.decodeRelativePosition(fromBase64(thread.anchorStart)), state.binding.mapping as never);
  const to = relativePositionToAbsolutePosition(state.doc, state.type, Y.decodeRelativePosition(fromBase64(thread.anchorEnd)), state.binding.mapping as never);
  return from === null || to === null || to <= from ? null : { from, to };
}

export function CommentsPanel({ provider, editor, canComment }: { provider: DraftProvider; editor: Editor | null; canComment: boolean }) {
  const { t } = useTranslation();
  const [threads, setThreads] = useState<Thread[]>([]);
  const [composing, setComposing] = useState<{ start: string; end: string; quote: string } | null>(null);
  const [body, setBody] = useState("");
  const [mentions, setMentions] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);

  useEffect(() => {
    const load = async () => {
      const ack = await provider.request(DOC_EVENTS.commentList);
      if (ack.ok && Array.isArray(ack.threads)) setThreads(ack.threads as Thread[]);
    };
    const offSynced = provider.onSynced(() => void load());
    const offPush = provider.onPush<Thread>(DOC_EVENTS.commentChanged, (thread) =>
      setThreads((current) => (current.some((item) => item.id === thread.id) ? current.map((item) => (item.id === thread.id ? thread : item)) : [...current, thread])),
    );
    return () => {
      offSynced();
      offPush();
    };
  }, [provider]);
  // Re-render on document changes so that quotes and order follow the text.
  useEffect(() => {
    const bump = () => setTick((value) => value + 1);
    editor?.on("update", bump);
    return () => {
      editor?.off("update", bump);
    };
  }, [editor]);

  const startComment = () => {
    if (!editor) return;
    const state = syncState(editor);
    const { from, to } = editor.state.selection;
    if (!state?.binding || from === to) {
      setError("draft.comment.selectFirst");
      return;
    }
    setError(null);
    const encode = (pos: number) => toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, state.type, state.binding.mapping as never)));
    setComposing({ start: encode(from), end: encode(to), quote: editor.state.doc.textBetween(from, to, " ").slice(0, 2000) });
  };

  const submit = async () => {
    if (!composing) return;
    const ack = await provider.request(DOC_EVENTS.commentAdd, { body, anchorStart: composing.start, anchorEnd: composing.end, quote: composing.quote, mentions });
    if (!ack.ok) {
      setError(ack.message?.key ?? `draft.error.${ack.code}`);
      return;
    }
    setComposing(null);
    setBody("");
    setMentions([]);
  };

  const ordered = editor
    ? [...threads].sort((a, b) => (rangeOf(editor, a)?.from ?? Number.MAX_SAFE_INTEGER) - (rangeOf(editor, b)?.from ?? Number.MAX_SAFE_INTEGER))
    : threads;

  return (
    <aside className="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t("draft.comment.title")}</h2>
      {canComment ? (
        <button type="button" className="button-secondary" onMouseDown={(event) => event.preventDefault()} onClick={startComment}>
          {t("draft.comment.onSelection")}
        </button>
      ) : null}
      {error ? (
        <p className="field-errors" role="alert">
          {t(error)}
        </p>
      ) : null}
      {composing ? (
        <form
          className="stack comment-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <blockquote>{composing.quote}</blockquote>
          <label htmlFor="new-comment">{t("draft.comment.body")}</label>
          <textarea id="new-comment" rows={3} value={body} onChange={(event) => setBody(event.target.value)} maxLength={5000} />
          <fieldset className="checkbox-group">
            <legend>{t("draft.comment.mention")}</legend>
            {(["WORKER", "EMPLOYER"] as const).map((side) => (
              <label key={side} className="checkbox">
                <input type="checkbox" checked={mentions.includes(side)} onChange={(event) => setMentions((current) => (event.target.checked ? [...current, side] : current.filter((item) => item !== side)))} />
                {t(`side.${side}`)}
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="button">
              {t("draft.comment.post")}
            </button>
            <button type="button" className="button-secondary" onClick={() => setComposing(null)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : null}
      <ol className="threads" data-testid="comment-threads">
        {ordered.map((thread) => (
          <ThreadView key={thread.id} thread={thread} provider={provider} editor={editor} canComment={canComment} />
        ))}
      </ol>
    </aside>
  );
}

function ThreadView({ thread, provider, editor, canComment }: { thread: Thread; provider: DraftProvider; editor: Editor | null; canComment: boolean }) {
  const { t } = useTranslation();
  const [reply, setReply] = useState("");
  const [error, setError] = useState<string | null>(null);
  const range = editor ? rangeOf(editor, thread) : null;
  const current = editor && range ? editor.state.doc.textBetween(range.from, range.to, " ") : null;
  const send = async (event: string, payload: Record<string, unknown>) => {
    const ack = await provider.request(event, payload);
    setError(ack.ok ? null : (ack.message?.key ?? `draft.error.${ack.code}`));
    return ack.ok;
  };
  return (
    <li className={thread.resolved ? "thread resolved" : "thread"} style={{ borderLeftColor: SIDE_COLOURS[thread.side ?? "NONE"] }}>
      <button type="button" className="quote" onClick={() => range && editor?.chain().focus().setTextSelection(range).run()}>
        “{current ?? thread.quote}”{current === null ? ` (${t("draft.comment.textGone")})` : ""}
      </button>
      {[thread, ...thread.replies].map((item) => (
        <p key={item.id} className="comment">
          <strong>{item.author}</strong>
          {item.side ? <span className="meta"> · {t(`side.${item.side}`)}</span> : null}
          {item.mentions.length ? <span className="meta"> · {t("draft.comment.mentions", { sides: item.mentions.map((side) => t(`side.${side}`)).join("、") })}</span> : null}
          <br />
          {item.body}
        </p>
      ))}
      {thread.resolved ? <p className="meta">{t("draft.comment.resolved")}</p> : null}
      {error ? (
        <p className="field-errors" role="alert">
          {t(error)}
        </p>
      ) : null}
      {canComment ? (
        <div className="thread-actions">
          <form
            className="inline-form"
            onSubmit={async (event) => {
              event.preventDefault();
              if (await send(DOC_EVENTS.commentReply, { threadId: thread.id, body: reply, mentions: [] })) setReply("");
            }}
          >
            <label className="visually-hidden" htmlFor={`reply-${thread.id}`}>
              {t("draft.comment.reply")}
            </label>
            <input id={`reply-${thread.id}`} value={reply} onChange={(event) => setReply(event.target.value)} placeholder={t("draft.comment.reply")} maxLength={5000} />
            <button type="submit" className="button-secondary">
              {t("draft.comment.send")}
            </button>
          </form>
          <button type="button" className="button-secondary" onClick={() => void send(DOC_EVENTS.commentResolve, { threadId: thread.id, resolved: !thread.resolved })}>
            {thread.resolved ? t("draft.comment.reopen") : t("draft.comment.resolve")}
          </button>
        </div>
      ) : null}
    </li>
  );
}
