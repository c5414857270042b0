// Message text from people and agents as markdown. Agents repeat what they read (issues, web pages), so
// the text is untrusted: react-markdown builds React elements (never raw HTML) and rehype-sanitize strips
// anything GitHub would not allow, such as javascript: links and event handlers. Images load only from
// the server's own file routes; any other image is a link, so nothing is fetched from elsewhere unasked.
import { ImageIcon, ImageOff } from "lucide-react";
import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { useServices } from "../../lib/app-context";
import { ownFileId } from "./markdown-images";
import { useFileObjectUrl } from "./use-file-blob";

/** A stored file of ours, fetched with the session's token (an <img src> could not send it). */
function OwnFileImage({ id, alt }: { id: string; alt: string }) {
  const { url, error } = useFileObjectUrl({ id, url: `/api/v1/files/${id}` });
  if (error) {
    return (
      <span className="inline-flex items-center gap-1 text-muted">
        <ImageOff size={14} aria-hidden />
        {alt || "Image"} could not be loaded
      </span>
    );
  }
  if (!url) return <span className="inline-block h-24 w-32 animate-pulse rounded-md bg-subtle" aria-hidden />;
  return <img src={url} alt={alt} className="max-h-80 max-w-full rounded-md" />;
}

/** An image from anywhere else: a link showing where it points, opened only if the person chooses to. */
function ExternalImageLink({ src, alt }: { src: string; alt: string }) {
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow" title={src} className="break-all">
      <ImageIcon size={14} aria-hidden className="mr-1 inline align-[-2px]" />
      {alt ? `${alt}: ` : "Image: "}
      {src}
    </a>
  );
}

function MarkdownImage({ src, alt }: { src?: string | undefined; alt?: string | undefined }) {
  const { serverUrl } = useServices();
  const id = ownFileId(src, serverUrl, window.location.origin);
  if (id) return <OwnFileImage id={id} alt={alt ?? ""} />;
  if (!src) return alt ? <span>{alt}</span> : null;
  return <ExternalImageLink src={src} alt={alt ?? ""} />;
}

const components: Components = {
  img: ({ src, alt }) => <MarkdownImage src={typeof src === "string" ? src : undefined} alt={alt} />,
  // Links leave the app, in a new tab that cannot reach back into this one.
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
  // Wide tables scroll inside the bubble instead of widening the conversation.
  table: ({ node: _node, ...props }) => (
    <div className="overflow-x-auto">
      <table {...props} />
    </div>
  ),
};

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeSanitize];

export const MessageMarkdown = memo(function MessageMarkdown({ text }: { text: string }) {
  return (
    <div className="prose-chat text-sm">
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </Markdown>
    </div>
  );
});
