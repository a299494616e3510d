export { AccountGateway, type AccountGatewayArgs, type AccountGatewayState } from "./account-gateway/resource";
export {
    getAccountGateway,
    getAccountGatewayOutput,
    listAccountGateways,
    listAccountGatewaysOutput,
    type AccountGatewayByAddress,
    type AccountGatewayByRoute,
    type AccountGatewayResult,
    type GetAccountGatewayArgs,
    type ListAccountGatewaysArgs,
} from "./account-gateway/lookup";
