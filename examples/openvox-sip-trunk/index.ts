import * as pulumi from "@pulumi/pulumi";
// In your own program: import { openvox } from "pulumi-voip";
import { openvox } from "pulumi-voip";

// Two PBXs in one stack, each a named connection in stack config:
//   pulumi config set openvox:hq.url http://192.0.2.10:9011
//   pulumi config set openvox:hq.username api
//   pulumi config set --secret openvox:hq.password <API password from the PBX's API settings>
//   pulumi config set openvox:branch.url http://192.0.2.20:9011
//   pulumi config set openvox:branch.username api
//   pulumi config set --secret openvox:branch.password <API password>
//   pulumi config set openvox:branch.format xml          # json is the default
// and the SIP secrets of the trunks themselves:
//   pulumi config set --secret itspPassword <SIP account password from the carrier>
//   pulumi config set --secret branchPassword <password the branch PBX registers with>
const config = new pulumi.Config();

// HQ registers to the carrier; calls from extensions 1000 and 1001 present their own DOD numbers.
const carrier = new openvox.SipTrunk("carrier", {
    connection: "hq",
    trunkType: "register",
    host: "sip.carrier.example.com",
    username: "6100",
    password: config.requireSecret("itspPassword"),
    fromUser: "+4930123456",
    extensionDods: [
        { number: "4930123401", name: "sales", extension: "1000" },
        { number: "4930123402", name: "support", extension: "1001" },
    ],
});

// The branch PBX registers to HQ over an account trunk...
const branchAccount = new openvox.SipTrunk("branch-account", {
    connection: "hq",
    trunkType: "account",
    name: "from-branch",
    username: "branch01",
    password: config.requireSecret("branchPassword"),
});

// ...and sends calls to a media gateway it reaches IP-to-IP.
const gateway = new openvox.SipTrunk("gateway", {
    connection: "branch",
    trunkType: "peer",
    host: "198.51.100.7",
    port: 5062,
});

// Outbound routes on the PBX refer to trunks by name: the resource id is the trunk's name.
export const carrierTrunk = carrier.id;
export const carrierPbxId = carrier.trunkId;
export const branchTrunk = branchAccount.name;
export const gatewayTrunk = gateway.name;
