// What the TenantGuard must allow Flux v1 in the team namespaces it syncs, and hold its teams to
// (the engine contract's EngineAdmission).
import { EngineAdmission } from "../../shared/engine";
import { fluxDeploymentName, fluxServiceAccountName, gitSecretName } from "./fluxV1";

/**
 * The annotation fluxd keeps its sync state in under `--git-readonly` (which forces
 * `--sync-state=secret`, fluxcd/flux 1.25.4 cmd/fluxd/main.go): `syncMarkerKey` in
 * pkg/sync/secret.go, set on the Secret named by `--k8s-secret-name` in fluxd's own namespace.
 */
export const fluxSyncStateAnnotation = "flux.weave.works/sync-hwm";

/**
 * The bookkeeping a team's Flux v1 writes on every object it applies, its Namespace too: the
 * annotation kubectl apply keeps (`kubectl.kubernetes.io/last-applied-configuration`, k8s.io/api
 * core/v1 annotation_key_constants.go), and fluxd's checksum annotation and garbage-collection
 * label (fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, checksumAnnotation and gcMarkLabel,
 * with PolicyPrefix `fluxcd.io/` from pkg/cluster/kubernetes/resource/resource.go). Nothing else
 * reads them, so a team repo that carries its own Namespace manifest unchanged still syncs.
 */
export const fluxBookkeeping = {
    labels: ["fluxcd.io/sync-gc-mark"],
    annotations: ["kubectl.kubernetes.io/last-applied-configuration", "fluxcd.io/sync-checksum"],
} as const;

/**
 * fluxd's Deployment in every team namespace (its pods run as root, so they alone are exempt from
 * the rest of restricted); its sync-state record on its key Secret under --git-readonly, patched
 * by fluxd's own ServiceAccount (pkg/sync/secret.go, setRevision and patch: a strategic merge
 * patch of the annotation alone); and its bookkeeping.
 */
export const fluxV1Admission: EngineAdmission = {
    teamDeployment: fluxDeploymentName,
    stateRecord: { serviceAccount: fluxServiceAccountName, secret: gitSecretName, annotation: fluxSyncStateAnnotation },
    bookkeeping: fluxBookkeeping,
    serviceAccounts: [fluxServiceAccountName],
};
