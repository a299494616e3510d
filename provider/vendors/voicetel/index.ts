export { AccountGateway, type AccountGatewayArgs } from "./account-gateway/resource";
