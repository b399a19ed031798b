import { FleetSettings } from "./settings";

/**
 * A deploy key's title on GitHub. In a fleet it names the cluster: each cluster's stack owns its
 * own key on a team's repo, and whoever revokes one on GitHub sees whose it is.
 */
export function keyTitle(namespace: string, fleet?: FleetSettings): string {
    return fleet ? `flux in namespace ${namespace} on cluster ${fleet.cluster}` : `flux in namespace ${namespace}`;
}
