export { AccountGateway, type AccountGatewayArgs, type AccountGatewayState } from "./account-gateway/resource";
