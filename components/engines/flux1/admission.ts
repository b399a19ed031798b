// What the TeamGuard must allow Flux v1 in the team namespaces it syncs, and hold its teams to
// (the engine contract's EngineAdmission).
import { EngineAdmission } from "../../shared/engine";
import { fluxDeploymentName, fluxServiceAccountName, gitSecretName } from "./fluxV1";

/**
 * The annotation fluxd keeps its sync state in under `--git-readonly`, on its key Secret
 * (docs/upstream.md, "Sync state").
 */
export const fluxSyncStateAnnotation = "flux.weave.works/sync-hwm";

/**
 * The bookkeeping a team's Flux v1 writes on every object it applies, its Namespace too
 * (docs/upstream.md, "What fluxd writes on every object it applies"). Nothing else reads them, so
 * they may change on a team's Namespace: a repo carrying its Namespace manifest still syncs.
 */
export const fluxBookkeeping = {
    labels: ["fluxcd.io/sync-gc-mark"],
    annotations: ["kubectl.kubernetes.io/last-applied-configuration", "fluxcd.io/sync-checksum"],
} as const;

/**
 * fluxd's Deployment in every team namespace (its pods run as root, so they alone are exempt from
 * the rest of restricted); its sync-state record on its key Secret, patched by its own
 * ServiceAccount (docs/upstream.md, "Sync state"); and its bookkeeping.
 */
export const fluxV1Admission: EngineAdmission = {
    teamDeployment: fluxDeploymentName,
    stateRecord: { serviceAccount: fluxServiceAccountName, secret: gitSecretName, annotation: fluxSyncStateAnnotation },
    bookkeeping: fluxBookkeeping,
    serviceAccounts: [fluxServiceAccountName],
};
