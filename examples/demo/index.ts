import * as pulumi from "@pulumi/pulumi";
import { telecomcenter } from "pulumi-voip";

/**
 * The demo stack (the root Pulumi.yaml points here). `npm run demo` runs it inline against local
 * simulators; with Pulumi installed the usual way, `pulumi up` in the repository root runs it too
 * (set the vendor credentials and base URLs in stack config first, see README.md).
 */
export = () => {
    const config = new pulumi.Config("demo");
    const customerId = config.get("customerId") ?? "demo-customer";

    const primary = new telecomcenter.TerminationGateway("carrier-primary", {
        customerId,
        host: "sip.carrier-one.example.com",
        codecs: ["PCMA", "PCMU", "telephone-event/8000"],
        authorizationName: "acme-trunk",
        authorizationPassword: config.getSecret("sipPassword") ?? pulumi.secret("demo-sip-password"),
    });
    const backup = new telecomcenter.TerminationGateway("carrier-backup", {
        customerId,
        host: "203.0.113.20",
        port: 5080,
        dstRewriteRule: "^00",
        dstRewriteResult: "+",
    });

    return Promise.resolve({ primaryGatewayId: primary.id, backupGatewayId: backup.id });
};
