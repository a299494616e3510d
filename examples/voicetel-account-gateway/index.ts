import * as pulumi from "@pulumi/pulumi";
import { voicetel } from "pulumi-voip";

// pulumi config set --secret voicetel:apiKey <the account's API key>
// pulumi config set sbcAddress 45.33.10.7        # public IPv4 of the primary SBC
// pulumi config set backupHost sbc2.carrier.example.com
const config = new pulumi.Config();

// Where VoiceTel sends the calls of the DIDs routed to each gateway (route).
const primary = new voicetel.AccountGateway("primary-sbc", {
    host: config.require("sbcAddress"),
    port: config.getNumber("sbcPort") ?? 5060,
});

// A name published in public DNS by another team later on: skip the provider's DNS check.
const backup = new voicetel.AccountGateway("backup-sbc", {
    host: config.require("backupHost"),
    port: 5080,
    hostResolvesLater: true,
});

// Route ids are what DIDs are routed to (VoiceTel portal or numbers/route).
export const primaryRouteId = primary.routeId;
export const backupRouteId = backup.routeId;
export const backupAddress = backup.address;
