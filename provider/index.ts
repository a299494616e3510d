/**
 * pulumi-voip: Pulumi dynamic resources for SIP trunking objects on telecom vendor APIs.
 *
 * Requires `typescript` below 7 wherever `@pulumi/pulumi` resolves it: Pulumi's closure
 * serializer uses the TypeScript compiler API, which TypeScript 7 no longer ships.
 */
export * as telecomcenter from "./vendors/telecomcenter";
export * as openvox from "./vendors/openvox";
export * as voicetel from "./vendors/voicetel";
export * as portsip from "./vendors/portsip";
export { VendorApiError, type VendorErrorKind } from "./core/errors";
