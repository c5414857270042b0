import { Link } from "react-router";
import { Empty } from "../components/ui/states";
import { usePageTitle } from "../lib/use-page-title";

export default function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4 p-4 sm:p-6">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Empty title="Nothing lives at this address">
        It may have moved, or the link was mistyped.{" "}
        <Link to="/" className="text-accent underline">
          Go to the overview
        </Link>
      </Empty>
    </div>
  );
}
