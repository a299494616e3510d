/**
 * pulumi-voip: Pulumi dynamic resources for SIP trunking objects on telecom vendor APIs.
 *
 * Requires `typescript` below 7 wherever `@pulumi/pulumi` resolves it: Pulumi's closure
 * serializer uses the TypeScript compiler API, which TypeScript 7 no longer ships.
 */
export * as telecomcenter from "./vendors/telecomcenter";
export { VendorApiError, type VendorErrorKind } from "./core/errors";
