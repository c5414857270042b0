// How every stored time is served: ISO 8601 UTC strings (§1). Defined in @crewdeck/domain, shared with
// the API's schemas that browsers load.
export { iso, isoOrNull } from "@crewdeck/domain";
