/**
 * How a serve-mode page proves it belongs: the per-launch key (or the one it got at sign-in) travels in
 * this header on every call, as a second WebSocket subprotocol `s4mi.token.<key>` on the event stream,
 * and as `?key=` on blob URLs (an <img> cannot send headers).
 */
export const TOKEN_HEADER = 'x-s4mi-token'
export const WS_PROTOCOL = 's4mi.v1'
export const WS_TOKEN_PREFIX = 's4mi.token.'
/** GET: whether a password is needed; POST {password}: a key for this launch. */
export const SIGN_IN_PATH = '/auth'
/** PUT <UPLOAD_PATH>/<uploadId>: one file's bytes; its path inside the upload, URI-encoded, in UPLOAD_NAME_HEADER. */
export const UPLOAD_PATH = '/upload/'
export const UPLOAD_NAME_HEADER = 'x-s4mi-upload-path'
/** GET <DOWNLOAD_PATH>/<downloadId>?key=…: a file the server prepared (an export as a zip), sent once. */
export const DOWNLOAD_PATH = '/download/'
