export { TerminationGateway, type TerminationGatewayArgs } from "./termination-gateway/resource";
export { CODECS, NETWORK_PROTOCOLS, type Codec, type NetworkProtocol } from "./termination-gateway/vocabulary";
