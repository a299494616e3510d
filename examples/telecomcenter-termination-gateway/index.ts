import * as pulumi from "@pulumi/pulumi";
import { telecomcenter } from "pulumi-voip";

// pulumi config set telecomcenter:username <operator user>
// pulumi config set --secret telecomcenter:password <operator password>
// pulumi config set --secret sipPassword <digest password of the carrier>
const config = new pulumi.Config();

const gateway = new telecomcenter.TerminationGateway("carrier", {
    customerId: config.require("customerId"),
    host: "sip.carrier.example.com",
    port: 5060,
    codecs: ["PCMA", "PCMU", "telephone-event/8000"],
    authorizationName: "acme",
    authorizationPassword: config.requireSecret("sipPassword"),
    dstRewriteRule: "^00",
    dstRewriteResult: "+",
});

export const gatewayId = gateway.id;
export const createdByOperator = gateway.operator;
