import type { VendorErrorKind } from "../../core/errors";

/**
 * What an OpenVox `errno` means. The PBX answers HTTP 200 to failures too, with
 * `{"status":"Failed","errno":"<digits>"}`; the errno is all it says, so every failure message
 * carries the number and, where one is known, a human explanation.
 *
 * OpenVox documents a single code (30003, failed login). Its API is a near copy of Yeastar
 * S-Series API v1.1.0, so Yeastar's table is used for the rest and the explanation says so:
 * those meanings are likely, not promised (OpenVox documents no table of its own).
 */

export interface ErrnoMeaning {
    kind: VendorErrorKind;
    /** A sentence for the user: what went wrong and, where useful, what to do. */
    meaning: string;
    /** Who documents the meaning; `none` for a code nobody documents. */
    source: "OpenVox" | "Yeastar" | "none";
}

/** Token errors: the call may be repeated once after a fresh login. */
export const EXPIRED_TOKEN_ERRNOS: readonly string[] = ["20004", "20006"];

/** The PBX refused the write because configuration changed too recently: it did nothing, try again later. */
export const TOO_FREQUENT_ERRNO = "10025";

const MEANINGS: Readonly<Record<string, ErrnoMeaning>> = {
    "10002": { kind: "BadRequest", meaning: "XML packet format not supported", source: "Yeastar" },
    "10003": {
        kind: "BadRequest",
        meaning: "unsupported API request: an unknown endpoint, field or value",
        source: "Yeastar",
    },
    "10004": { kind: "Validation", meaning: "a required parameter is empty", source: "Yeastar" },
    "10025": { kind: "RateLimited", meaning: "new configuration applied too frequently", source: "Yeastar" },
    "20000": { kind: "BadRequest", meaning: "only JSON supported", source: "Yeastar" },
    "20001": { kind: "BadRequest", meaning: "only POST supported", source: "Yeastar" },
    "20002": {
        kind: "Forbidden",
        meaning:
            "login refused: this client address is locked out after repeated failed logins; wait 10 minutes or ask the PBX administrator to remove it from the blocked-IP list",
        source: "Yeastar",
    },
    "20003": { kind: "Auth", meaning: "login failed: invalid username or password", source: "Yeastar" },
    "20004": { kind: "Auth", meaning: "no such token (logged out, or the PBX restarted)", source: "Yeastar" },
    "20005": { kind: "Auth", meaning: "the token is missing", source: "Yeastar" },
    "20006": { kind: "Auth", meaning: "the token timed out (30 minutes without activity)", source: "Yeastar" },
    "20007": { kind: "NotFound", meaning: "data empty", source: "Yeastar" },
    "20008": { kind: "Validation", meaning: "port error", source: "Yeastar" },
    "20009": { kind: "BadRequest", meaning: "request number empty", source: "Yeastar" },
    "20010": { kind: "Server", meaning: "the request could not be handed to the API service", source: "Yeastar" },
    "20011": { kind: "BadRequest", meaning: "heartbeat configuration failed", source: "Yeastar" },
    "20015": {
        kind: "Forbidden",
        meaning: "this client address is not in the PBX's allowed-IP list for the API",
        source: "Yeastar",
    },
    "30001": { kind: "Server", meaning: "JSON memory allocation failed", source: "Yeastar" },
    "30003": { kind: "Server", meaning: "the API service process is not running", source: "Yeastar" },
};

/** On the login endpoint OpenVox's own example gives 30003 for a wrong username or password. */
const LOGIN_MEANINGS: Readonly<Record<string, ErrnoMeaning>> = {
    "30003": {
        kind: "Auth",
        meaning: "login failed: wrong API username or password",
        source: "OpenVox",
    },
};

/** The meaning of `errno` answered by `endpoint` (e.g. `login`, `siptrunk/add`). */
export function explainErrno(errno: string, endpoint: string): ErrnoMeaning {
    const known = (endpoint === "login" ? LOGIN_MEANINGS[errno] : undefined) ?? MEANINGS[errno];
    if (known !== undefined) return known;
    return { kind: "BadRequest", meaning: "an error code neither OpenVox nor Yeastar documents", source: "none" };
}

/** The sentence put in error messages, naming who documents the meaning when it is borrowed. */
export function describeErrno(errno: string, endpoint: string): string {
    const { meaning, source } = explainErrno(errno, endpoint);
    return source === "Yeastar" ? `${meaning} (Yeastar's meaning of this code)` : meaning;
}
