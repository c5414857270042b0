import { Link } from "react-router";
import { Empty } from "../components/ui/states";

export default function NotFoundPage() {
  return (
    <div className="p-6">
      <Empty title="Nothing here">
        This page does not exist.{" "}
        <Link to="/" className="text-accent underline">
          Go to the overview
        </Link>
        .
      </Empty>
    </div>
  );
}
