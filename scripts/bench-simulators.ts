import { OpenVoxSimulator } from "../test/simulators/openvox";
import { PortSipV12Simulator } from "../test/simulators/portsip-v12";
import { PortSipV22Simulator } from "../test/simulators/portsip-v22";
import { TelecomCenterSimulator } from "../test/simulators/telecomcenter";
import { VoiceTelSimulator } from "../test/simulators/voicetel";
import type { SimulatorServer } from "../test/simulators/core/server";

/**
 * The simulators of `npm run bench`, in a process of their own (started by scripts/bench.ts with
 * `fork`), so the vendor side does not share the benchmarked processes' event loops. Credentials
 * are fixed bench values; every simulator listens on 127.0.0.1 only.
 *
 * Messages from the parent: `{ latencyMs }` sets the answer delay of every simulator, `{ count:
 * true }` asks for the number of requests served so far, `{ stop: true }` ends the process.
 */

export const BENCH_CREDENTIALS = { user: "bench", password: "bench-password-9Xk" } as const;

export interface SimulatorAddresses {
    telecomcenter: string;
    voicetel: string;
    portsipV12: string;
    portsipV22: string;
    openvox: string;
}

export type ParentMessage = { latencyMs: number } | { count: true } | { stop: true };
export type ChildMessage = { ready: SimulatorAddresses } | { requests: number } | { latencySet: number };

async function main(): Promise<void> {
    const { user, password } = BENCH_CREDENTIALS;
    const telecomCenter = new TelecomCenterSimulator({ username: user, password });
    const voiceTel = new VoiceTelSimulator({ apiKey: password, allowTestNets: true });
    const portSipV12 = new PortSipV12Simulator({ adminUser: user, adminPassword: password });
    // Trunks are online at once: the bench measures the provider, not a PBX's registration time.
    const portSipV22 = new PortSipV22Simulator({ adminUser: user, adminPassword: password, onlineAfterMs: 0 });
    const openVox = new OpenVoxSimulator({ username: user, password });
    await Promise.all([
        telecomCenter.start(),
        voiceTel.start(),
        portSipV12.start(),
        portSipV22.start(),
        openVox.start(),
    ]);
    telecomCenter.addCustomer("bench-customer");
    const servers: SimulatorServer[] = [
        telecomCenter.server,
        voiceTel.server,
        portSipV12.server,
        portSipV22.server,
        openVox.server,
    ];
    const send = (message: ChildMessage): void => {
        process.send?.(message);
    };
    process.on("message", (message: ParentMessage) => {
        if ("latencyMs" in message) {
            for (const server of servers) server.latencyMs = message.latencyMs;
            send({ latencySet: message.latencyMs });
        } else if ("count" in message) {
            send({ requests: servers.reduce((sum, server) => sum + server.requests.length, 0) });
        } else {
            void Promise.all([
                telecomCenter.stop(),
                voiceTel.stop(),
                portSipV12.stop(),
                portSipV22.stop(),
                openVox.stop(),
            ]).then(() => process.exit(0));
        }
    });
    // The parent is the only reason to live: no orphaned simulators when it dies.
    process.on("disconnect", () => process.exit(0));
    send({
        ready: {
            telecomcenter: telecomCenter.server.baseUrl,
            voicetel: voiceTel.server.baseUrl,
            portsipV12: portSipV12.baseUrl,
            portsipV22: portSipV22.baseUrl,
            openvox: openVox.server.baseUrl,
        },
    });
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
    });
}
