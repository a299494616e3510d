export {
    SipTrunk,
    type AccountTrunkArgs,
    type ExtensionDod,
    type ExtensionDodArgs,
    type GroupDod,
    type GroupDodArgs,
    type PeerTrunkArgs,
    type RegisterTrunkArgs,
    type SipTrunkArgs,
    type SipTrunkState,
} from "./sip-trunk/resource";
export { TRUNK_TYPES, type TrunkType } from "./sip-trunk/vocabulary";
export {
    getSipTrunk,
    getSipTrunkOutput,
    listSipTrunks,
    listSipTrunksOutput,
    type GetSipTrunkArgs,
    type ListSipTrunksArgs,
    type SipTrunkResult,
} from "./sip-trunk/lookup";
