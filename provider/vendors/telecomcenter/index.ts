export {
    TerminationGateway,
    type TerminationGatewayArgs,
    type TerminationGatewayState,
} from "./termination-gateway/resource";
export { CODECS, NETWORK_PROTOCOLS, type Codec, type NetworkProtocol } from "./termination-gateway/vocabulary";
export {
    getTerminationGateway,
    getTerminationGatewayOutput,
    listTerminationGateways,
    listTerminationGatewaysOutput,
    type GetTerminationGatewayArgs,
    type GetTerminationGatewayOutputArgs,
    type ListTerminationGatewaysArgs,
    type TerminationGatewayById,
    type TerminationGatewayByName,
    type TerminationGatewayResult,
} from "./termination-gateway/lookup";
