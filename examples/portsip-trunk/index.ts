import * as pulumi from "@pulumi/pulumi";
import { portsip } from "pulumi-voip";

// Two PBXs, one stack. Connection settings (secrets encrypted in the stack config):
//   pulumi config set portsip:hq.url https://pbx-hq.example.com:8887
//   pulumi config set portsip:hq.username admin
//   pulumi config set --secret portsip:hq.password <PBX admin password>
//   pulumi config set portsip:hq.apiVersion v22          # pinned: previews make no API call
//   pulumi config set portsip:branch.url https://pbx-branch.example.com:8900
//   pulumi config set portsip:branch.username admin
//   pulumi config set --secret portsip:branch.password <PBX admin password>
//   (portsip:branch.apiVersion left out: detected once per run with GET /api/info)
//   pulumi config set --secret carrierPassword <SIP password of the carrier account>
const config = new pulumi.Config();
const carrierPassword = config.requireSecret("carrierPassword");

// A register trunk on the v22 PBX, with a DID pool, waiting until it is registered.
const hq = new portsip.Trunk("carrier-hq", {
    connection: "hq",
    brand: "Generic",
    hostname: "sip.carrier.example.com",
    authId: "100200",
    password: carrierPassword,
    concurrency: 30,
    didNumbers: ["4155550100-4155550199"],
    additionalIps: ["203.0.113.0/28"],
    outboundParameters: { fromUserPart: { value: "OUTBOUND_CALLER_ID" } },
    waitUntilOnline: true,
    onlineTimeoutSeconds: 60,
});

// The same carrier on the legacy v12 PBX: only fields both generations have.
const branch = new portsip.Trunk("carrier-branch", {
    connection: "branch",
    hostname: "sip.carrier.example.com",
    authId: "100201",
    password: carrierPassword,
    registerInterval: 300,
});

export const hqTrunkId = hq.id;
export const hqStatus = hq.status;
export const branchTrunkId = branch.id;
export const branchApiVersion = branch.apiVersion;
