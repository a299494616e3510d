import * as pulumi from "@pulumi/pulumi";
import { openvox, portsip, telecomcenter, voicetel } from "pulumi-voip";

/**
 * The demo stack (the root Pulumi.yaml points here): one object per vendor. `npm run demo` runs it
 * inline against local simulators; with Pulumi installed the usual way, `pulumi up` in the
 * repository root runs it too (set the vendor credentials and URLs in stack config first, see
 * README.md).
 */
export = () => {
    // The project's own namespace (`pulumi-voip-demo:customerId`), as the root Pulumi.yaml declares it.
    const config = new pulumi.Config();
    const customerId = config.get("customerId") ?? "demo-customer";
    const sipPassword = config.getSecret("sipPassword") ?? pulumi.secret("demo-sip-password");

    const termination = new telecomcenter.TerminationGateway("carrier-termination", {
        customerId,
        host: "sip.carrier-one.example.com",
        codecs: ["PCMA", "PCMU", "telephone-event/8000"],
        authorizationName: "acme-trunk",
        authorizationPassword: sipPassword,
    });
    const accountGateway = new voicetel.AccountGateway("office-sbc", { host: "45.33.10.7", port: 5060 });
    const pbxTrunk = new portsip.Trunk("carrier-on-portsip", {
        connection: "hq",
        hostname: "sip.carrier-one.example.com",
        authId: "100200",
        password: sipPassword,
        didNumbers: ["4155550100-4155550199"],
    });
    const ippbxTrunk = new openvox.SipTrunk("carrier-on-openvox", {
        connection: "branch",
        trunkType: "register",
        host: "sip.carrier-one.example.com",
        username: "6100",
        password: sipPassword,
    });

    return Promise.resolve({
        terminationGatewayId: termination.id,
        voicetelRouteId: accountGateway.routeId,
        portsipTrunkId: pbxTrunk.id,
        openvoxTrunkName: ippbxTrunk.id,
    });
};
