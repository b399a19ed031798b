// The engine contract: the one seam between the platform and a GitOps engine, in two halves, in
// the shape of cdk-eks-blueprints' `lib/spi` (an add-on installed once, a team set up per team)
// with pulumi-eks' typed handles (what an install made is passed on as an object, never looked
// up by name).
//
// 1. `Engine.install` puts what the engine needs once per cluster in place (Flux v1: the shared
//    memcached and the team ClusterRoles) and returns an `EngineCluster`, the typed handle.
// 2. `EngineCluster.sync` syncs one repo into one namespace: the cluster admins' repo with cluster
//    scope, each team's with namespace scope.
//
// Every question the rest of the platform has about an engine is answered here, by the engine
// (`EngineTraits`): whether its key must write, what files a new repo starts with, what it runs in
// a team's namespace and what that needs from the fence. Nothing outside `components/engines/<engine>/`
// knows a flag, an image, a Deployment name or a repo file of an engine.
import { MirrorSettings } from "./mirror";
import * as pulumi from "@pulumi/pulumi";
import { PodSecurityLevel } from "./podSecurityLevel";
import { Problems } from "./settings/problems";

/** The engines a stack can run. */
export type EngineName = "flux1" | "flux2";

/** A repo the platform made for an engine to sync, and where in it. */
export interface GitSource {
    /** SSH URL of the repo. */
    readonly url: string;
    readonly branch: string;
    /** Directory inside the repo to sync; "" is the root. */
    readonly path: string;
    /** OpenSSH private key with access to the repo; must be a secret. */
    readonly privateKey: pulumi.Input<string>;
    /** Fingerprint of the key's public half: when it changes, the engine must pick up the new key. */
    readonly keyFingerprint: pulumi.Input<string>;
    /** known_hosts lines for the git host. */
    readonly knownHosts: string;
}

/** The pods an engine runs in a team's namespace, and what they need from the team's fence. */
export interface TeamFootprint {
    /** Summed over those pods: the team's quota must leave room for them. */
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
    readonly pods: number;
    /**
     * The strictest level Pod Security Admission can enforce on the namespace with these pods in
     * it (PSA judges every pod of a namespace alike). A team that asks for more gets this level
     * enforced by PSA and the rest by the TeamGuard, which exempts the engine's
     * `admission.teamDeployment`.
     */
    readonly enforceableLevel: PodSecurityLevel;
}

/**
 * What the TeamGuard must know of an engine to fence its teams in without fencing the engine
 * out: the same for every team the engine syncs.
 */
export interface EngineAdmission {
    /**
     * The Deployment the engine runs in each team namespace it syncs, if any: its pods are the
     * only ones exempt from the rest of `restricted`, it runs one replica, and no one else may make
     * ReplicaSets named after it.
     */
    readonly teamDeployment?: string;
    /**
     * The one change the engine's own account makes to a platform object: an annotation on a
     * Secret of the team namespace, where it keeps its state. Nothing else of that Secret may change.
     */
    readonly stateRecord?: { readonly serviceAccount: string; readonly secret: string; readonly annotation: string };
    /**
     * What the engine writes on every object it applies, the team's Namespace too, and what it
     * removes from them (another tool's bookkeeping it takes over): nothing else reads these keys.
     */
    readonly bookkeeping: { readonly labels: readonly string[]; readonly annotations: readonly string[] };
    /**
     * A label that hands an object to a set of the engine's controllers named by its value. The
     * engine names a team's own set after the team, so in a team namespace its value may only be
     * the namespace's own name: no team's objects take another team's controllers.
     */
    readonly shardLabel?: string;
    /**
     * The engine's own ServiceAccounts in each team namespace: no one but the platform and the
     * kubelet may request a token for them (TokenRequest carries no labels, so by name).
     */
    readonly serviceAccounts?: readonly string[];
    /**
     * API groups whose objects' status only the engine's controllers write: what a team writes
     * there, its controllers act on (a GitRepository's `status.artifact` is what kustomize-controller
     * fetches).
     */
    readonly statusGroups?: readonly string[];
    /**
     * The engine's kinds whose spec names other objects by namespace for the engine's own
     * controllers to read with their own rights: each entry of `list` (a list under `spec`) must
     * name the object's own namespace.
     */
    readonly namespaceReferences?: readonly EngineField[];
    /**
     * The engine's kinds that carry metadata (`path`, under `spec`) for an object its controllers
     * make from them: `shardLabel` is judged there as on the object itself.
     */
    readonly labelTemplates?: readonly EngineField[];
    /**
     * The engine's kinds a team could create in its namespace, as `<plural>.<group>`: the team's
     * quota counts each (every team's, as its controllers watch every namespace).
     */
    readonly teamKinds?: readonly string[];
    /**
     * The install's other namespaced kinds, as `<plural>.<group>`: its controllers read them only in
     * their own namespace, so a team has no use for them, and the TeamGuard refuses them in team
     * namespaces (no quota counts them).
     */
    readonly platformKinds?: readonly string[];
}

/** A field of one of an engine's kinds, for the ReachGuard (components/fence/reachGuard.ts). */
export interface EngineField {
    readonly group: string;
    readonly version: string;
    /** The plural resource. */
    readonly resource: string;
    /** The field's path under `spec`, dotted. */
    readonly path: string;
}

/** One repo's sync: the engine's own objects in one namespace. */
export interface RepoSyncArgs<Settings> {
    /**
     * Namespace the sync runs in, and where objects without a namespace land. Pass the
     * Namespace's output so the sync waits for it.
     */
    readonly namespace: pulumi.Input<string>;
    /**
     * "cluster": may change anything in the cluster (the cluster admins' repo).
     * "namespace": may change only its own namespace, and read what discovery needs.
     */
    readonly scope: "cluster" | "namespace";
    readonly git: GitSource;
    readonly settings: Settings;
    /** Extra labels for every object of the sync. */
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * true: the engine stops applying the repo and keeps everything it has applied as it is, so that
     * nothing is re-created while the namespace is taken apart (a team being offboarded). Its
     * objects stay, so that setting it back to false resumes the sync. Default false.
     */
    readonly suspended?: boolean;
}

/** An engine's answers about itself: pure, asked before anything is created. */
export interface EngineTraits<Settings> {
    /** Whether the engine pushes to the repo it syncs, so that its deploy key must be write-enabled. */
    keyWritable(settings: Settings): boolean;
    /** The command that shows a repo's sync in `namespace`, for the stack outputs. */
    syncStatusCommand(namespace: string): string;
    /** The starting files of the cluster admins' repo, `path` being the directory synced. */
    clusterRepoFiles(path: string): Record<string, string>;
    /**
     * The engine's starting files of a team's repo; add-ons add theirs after them. The same for
     * every team with the same `path` (no team name in them), so that one template repository
     * carries them for all those teams.
     */
    teamRepoFiles(path: string): Record<string, string>;
    /** What the engine runs in a team's namespace; undefined when it runs no pod there. */
    teamFootprint(settings: Settings): TeamFootprint | undefined;
    /** What the TeamGuard must allow the engine, and hold its teams to. */
    readonly admission: EngineAdmission;
}

/**
 * Pods of the engine's install in the system namespace that its pods in team namespaces call
 * (Flux v1: every team's fluxd to the shared memcached): the platform opens that port to those
 * pods alone.
 */
export interface SystemPeer {
    /** Names the part: the NetworkPolicy is made as `<system network>-<system namespace>-<part>`. */
    readonly part: string;
    /** The NetworkPolicy's name in the system namespace. */
    readonly policyName: string;
    /** The pods called, and their port. */
    readonly podLabels: Readonly<Record<string, string>>;
    readonly port: number;
    /** The engine's pods in team namespaces that call them: labels no team can give a pod of its own (the TeamGuard). */
    readonly callerLabels: Readonly<Record<string, string>>;
}

/** The typed handle an install returns: what was installed once, and how to sync a repo with it. */
export interface EngineCluster<Settings> {
    readonly engine: EngineName;
    readonly traits: EngineTraits<Settings>;
    /**
     * What the install created (resources or components): a refused `pulumi destroy` must leave
     * them in place with the repos they serve (components/platform/removalGuard.ts).
     */
    readonly parts: readonly pulumi.Resource[];
    /** Those of `traits.admission.teamKinds` whose CRDs the install puts in the cluster. */
    readonly installedKinds: readonly string[];
    /** What its pods in team namespaces call in the system namespace; none for most engines. */
    readonly systemPeers?: readonly SystemPeer[];
    /** Syncs one repo into one namespace; the component is named `name` and made with `opts`. */
    sync(name: string, args: RepoSyncArgs<Settings>, opts: pulumi.ComponentResourceOptions): pulumi.ComponentResource;
}

/** A key of stack config as the user types it, and its value, parsed; undefined when unset. */
export interface ConfigValue {
    readonly key: string;
    readonly value: unknown;
}

/**
 * How an engine's own settings are read from stack config and validated: the config module
 * calls these and reports their problems with everyone else's, before anything is created.
 */
export interface EngineConfig<Install, Settings> {
    /** The `platform:` keys the engine reads, as `platform:<key>`'s `<key>`. */
    readonly platformKeys: readonly string[];
    /**
     * For each of them, why it cannot be kept secret (where its values end up): config refuses
     * each set with `--secret`, saying why.
     */
    readonly plainBecause: Readonly<Record<string, string>>;
    /**
     * Reads them (`value(key)`): what the engine installs once, and the settings of every repo it
     * syncs that says nothing else (the cluster admins' repo, and teams' defaults). `inUse`: every
     * engine some repo runs, this one included, for what engines sharing the system namespace
     * must agree on.
     */
    readPlatform(value: (key: string) => ConfigValue, inUse: ReadonlySet<EngineName>, problems: Problems):
        { readonly install: Install; readonly defaults: Settings };
    /** The keys a team entry's `flux` object may hold when the team runs this engine. */
    readonly teamKeys: readonly string[];
    /** Reads a team's `flux` object (`value.key` as the user types it) over the defaults. */
    readTeam(value: ConfigValue, defaults: Settings, team: { readonly name: string }, problems: Problems): Settings;
    /**
     * A repo's settings once its Slack channel and webhook are known, when the engine reports a
     * repo's sync failures itself; absent when it does not (they reach Slack only through Flagger).
     */
    withAlerts?(settings: Settings, alerts: RepoAlerts): Settings;
    /**
     * What is installed once, completed from every repo's settings (what any repo needs installed);
     * a platform key that contradicts the repos' settings is a problem.
     */
    completeInstall?(install: Install, repos: readonly Settings[], problems: Problems): Install;
    /**
     * A repo's settings as one cluster of a fleet syncs it, when several clusters sync the same
     * repo and something of the engine's must differ per cluster; absent when nothing must.
     */
    forCluster?(settings: Settings, cluster: string): Settings;
    /**
     * The images the engine runs that config names, by the full key that names each (and what must
     * change with it): a mirror of their registry refuses them until they name the mirror.
     */
    images?(install: Install, defaults: Settings): readonly { readonly key: string; readonly image: string; readonly also?: string }[];
}

/** Where a repo's sync failures are reported: a Slack channel and its incoming webhook (secret). */
export interface RepoAlerts {
    readonly channel: string;
    readonly webhook: pulumi.Input<string>;
}

/** An engine: its traits, its settings, and its install. `Install` are the settings of what it installs once. */
export interface Engine<Install, Settings> {
    readonly name: EngineName;
    /** What users call it in stack config (`platform:engine`, a team's `engine`) and in docs. */
    readonly title: string;
    readonly config: EngineConfig<Install, Settings>;
    readonly traits: EngineTraits<Settings>;
    /**
     * Installs what the engine needs once per cluster. Its resources are named `${name}-<part>`
     * and made with `opts` (the platform passes itself as their parent). `namespace` is the
     * platform's system namespace. `mirror`: where the charts and the images that config names
     * nowhere else (a chart's own) come from instead of upstream.
     */
    install(name: string, args: { readonly namespace: pulumi.Input<string>; readonly settings: Install; readonly mirror?: MirrorSettings },
        opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions): EngineCluster<Settings>;
}

/**
 * One repo's engine with its settings bound to it, as the platform core uses it: the settings'
 * type stays the engine's own business.
 */
export interface BoundEngine {
    readonly engine: EngineName;
    readonly keyWritable: boolean;
    readonly teamFootprint: TeamFootprint | undefined;
    syncStatusCommand(namespace: string): string;
    /** The team kinds its install serves (EngineCluster.installedKinds). */
    readonly installedKinds: readonly string[];
    /** What puts those kinds' CRDs in the cluster: the install's parts, none when it serves no kind. */
    readonly kindsInstalledBy: readonly pulumi.Resource[];
    clusterRepoFiles(path: string): Record<string, string>;
    teamRepoFiles(path: string): Record<string, string>;
    sync(name: string, args: Omit<RepoSyncArgs<unknown>, "settings">, opts: pulumi.ComponentResourceOptions): pulumi.ComponentResource;
}

export function bindEngine<Settings>(cluster: EngineCluster<Settings>, settings: Settings): BoundEngine {
    const traits = cluster.traits;
    return {
        engine: cluster.engine,
        keyWritable: traits.keyWritable(settings),
        syncStatusCommand: (namespace) => traits.syncStatusCommand(namespace),
        teamFootprint: traits.teamFootprint(settings),
        installedKinds: cluster.installedKinds,
        kindsInstalledBy: cluster.installedKinds.length > 0 ? cluster.parts : [],
        clusterRepoFiles: (path) => traits.clusterRepoFiles(path),
        teamRepoFiles: (path) => traits.teamRepoFiles(path),
        sync: (name, args, opts) => cluster.sync(name, { ...args, settings }, opts),
    };
}
