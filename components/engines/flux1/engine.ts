// Flux v1 behind the engine contract (components/shared/engine.ts): the seed's engine.
//
// Installed once: the memcached every fluxd shares, and the two ClusterRoles every team's fluxd
// is bound to. Per repo: one fluxd in the repo's namespace (FluxV1). Everything the rest of the
// platform needs to know about Flux v1 is answered by `fluxV1Engine.traits`.
import * as pulumi from "@pulumi/pulumi";
import { Engine, EngineCluster, EngineTraits, RepoSyncArgs } from "../../shared/engine";
import { fluxV1Admission } from "./admission";
import { fluxV1Config } from "./config";
import { FluxV1, fluxV1Resources, fluxV1Writes } from "./fluxV1";
import { Memcached, memcachedPodLabels } from "./memcached";
import { partOfLabel, platformPartOf } from "../../shared/names";
import { clusterRepoLayout, teamRepoLayout } from "./repoLayout";
import { FluxV1Settings, MemcachedSettings } from "./settings";
import { FluxV1TeamRoles } from "./teamRoles";

const traits: EngineTraits<FluxV1Settings> = {
    keyWritable: fluxV1Writes,
    // fluxctl finds fluxd through the Kubernetes API in that namespace, syncs and reports the revision applied.
    syncStatusCommand: (namespace) => `fluxctl --k8s-fwd-ns=${namespace} sync`,
    clusterRepoFiles: clusterRepoLayout,
    teamRepoFiles: teamRepoLayout,
    teamFootprint: () => ({
        requests: fluxV1Resources.requests,
        limits: fluxV1Resources.limits,
        pods: 1,
        // fluxd runs as root (docs/upstream.md, "Running as root"), so a Flux v1 team namespace
        // can enforce baseline at most.
        enforceableLevel: "baseline",
    }),
    admission: fluxV1Admission,
};

/** The Flux v1 engine. */
export const fluxV1Engine: Engine<MemcachedSettings, FluxV1Settings> = {
    name: "flux1",
    title: "Flux v1",
    config: fluxV1Config,
    traits,
    install(name, args, opts): EngineCluster<FluxV1Settings> {
        // Named as they were before the engine contract, and children of the same parent, so that
        // existing stacks keep their URNs.
        const memcached = new Memcached(`${name}-memcached`, { ...args.settings, namespace: args.namespace }, opts);
        const teamRoles = new FluxV1TeamRoles(`${name}-flux-tenant-roles`, opts);
        return {
            engine: "flux1",
            traits,
            parts: [memcached, teamRoles],
            // Flux v1 defines no kind of its own.
            installedKinds: [],
            // Teams' fluxds keep their image metadata cache in the shared memcached: only that port,
            // only from fluxd pods, so one team cannot read or poison the cache other teams' fluxds use.
            systemPeers: [{
                part: "memcached",
                policyName: "platform-memcached-from-fluxd",
                podLabels: memcachedPodLabels,
                port: memcached.port,
                // What FluxV1 gives fluxd's pods; the TeamGuard refuses the part-of label to a team's objects.
                callerLabels: { "app.kubernetes.io/name": "flux", [partOfLabel]: platformPartOf },
            }],
            sync(syncName: string, sync: RepoSyncArgs<FluxV1Settings>, syncOpts: pulumi.ComponentResourceOptions) {
                return sync.scope === "cluster"
                    ? new FluxV1(syncName, { ...sync, scope: "cluster", memcachedHost: memcached.host }, syncOpts)
                    : new FluxV1(syncName, { ...sync, scope: "namespace", memcachedHost: memcached.host, teamRoles }, syncOpts);
            },
        };
    },
};
