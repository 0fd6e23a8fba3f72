/** The module's name as operators see it in their plugins folder. */
export const MODULE_NAME = "mod_event_sync_component";
/** Kept equal to package.json's version; the build refuses to run when they differ. */
export const VERSION = "0.1.0";
/** Sent with every request so receivers can tell which sender and version posted. */
export const USER_AGENT = `${MODULE_NAME}/${VERSION} (Prosody)`;
