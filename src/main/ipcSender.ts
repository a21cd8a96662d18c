import { isAppPage } from './pageOrigin'

/** What Electron tells an IPC handler about the frame that sent the message (`event.senderFrame`). */
export interface SenderFrame {
  url: string
  parent: unknown
}

/**
 * Electron checklist item 17: a message is answered only when it comes from the app's own top-level page.
 * A frame that navigated away (null), a sub-frame, or a page of another origin is refused.
 */
export function trustedSender(frame: SenderFrame | null | undefined, origins: readonly string[]): boolean {
  return !!frame && frame.parent === null && isAppPage(frame.url, origins)
}
