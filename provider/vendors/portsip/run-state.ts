import { onProcessReset } from "../../core/process-state";
import type { V22LoginRoute } from "./client";
import type { Generation } from "./connection";
import type { DidClaim } from "./trunk/dids";

/**
 * Everything PortSIP remembers between hook calls, in one place with one reset. One provider
 * process serves one `pulumi` command of one stack, so all of it is per run; it is loaded at run
 * time from the installed package and never serialized (see core/delegate.ts).
 */
export interface PortSipRunState {
    /**
     * The generation each PBX speaks, by URL: detected once per run, however many trunks and
     * connection names point at it. A detection that failed is forgotten, so the next hook asks again.
     */
    generations: Map<string, Promise<Generation>>;
    /**
     * Per PBX (by URL), the DID pools of the trunks of this stack whose `check` passed so far, by
     * Pulumi resource name: `check` runs once per trunk of the stack in one process, and each one
     * must see the claims of those checked before it.
     */
    didClaims: Map<string, Map<string, DidClaim>>;
    /** The v16+/v22 login route each PBX URL answered, so later logins go straight to it. */
    loginRoutes: Map<string, V22LoginRoute>;
}

export const portSipRun: PortSipRunState = {
    generations: new Map(),
    didClaims: new Map(),
    loginRoutes: new Map(),
};

/** Forgets what this run learned about PortSIP PBXs (also part of `resetProcessState`). */
export function resetPortSipRun(): void {
    portSipRun.generations.clear();
    portSipRun.didClaims.clear();
    portSipRun.loginRoutes.clear();
}

onProcessReset(resetPortSipRun);
