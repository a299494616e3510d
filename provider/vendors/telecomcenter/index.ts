export {
    TerminationGateway,
    type TerminationGatewayArgs,
    type TerminationGatewayState,
} from "./termination-gateway/resource";
export { CODECS, NETWORK_PROTOCOLS, type Codec, type NetworkProtocol } from "./termination-gateway/vocabulary";
