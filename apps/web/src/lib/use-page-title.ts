// The browser tab's title for the page on screen ("Tasks · Crewdeck"), so tabs and history entries can be
// told apart; "Crewdeck" alone while the page's own name is still loading.
import { useEffect } from "react";

const APP = "Crewdeck";

export const pageTitle = (title: string | null | undefined) => (title ? `${title} · ${APP}` : APP);

export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = pageTitle(title);
  }, [title]);
}
