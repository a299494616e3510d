import { redact } from "./redact";

/**
 * The only place the library writes log lines. Inside the dynamic-provider process, stderr lines
 * become diagnostics in the `pulumi` CLI output (and in CI logs), so every line is redacted.
 * `warn` is always shown; `debug` only with PULUMI_VOIP_DEBUG=1.
 */
export const log = {
    warn(message: string): void {
        console.error(`pulumi-voip: warning: ${redact(message)}`);
    },
    info(message: string): void {
        console.error(`pulumi-voip: ${redact(message)}`);
    },
    debug(message: string): void {
        if (process.env["PULUMI_VOIP_DEBUG"] === "1") console.error(`pulumi-voip: debug: ${redact(message)}`);
    },
};
