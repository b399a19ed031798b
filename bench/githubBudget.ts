// What the program's GitHub resources cost GitHub, counted from what the program registers, and
// how long onboarding and refreshing take under GitHub's limits (docs/github.md).
//
// The requests each resource type makes are read off the GitHub provider, terraform-provider-github
// v6.13.0 (which pulumi-github v6.15.0 bridges), one `client.*` call a request:
// - github/resource_github_repository.go: Create is CreateFromTemplate (or Create), content-
//   creating, then Update (Edit) and Read; Read is Get, plus GetVulnerabilityAlerts when GitHub
//   reports security_and_analysis (counted: an organisation's private repos report it).
// - github/resource_github_repository_deploy_key.go: Create is CreateKey then Read; Read is GetKey.
// - github/resource_github_repository_file.go: Create is Get (the repo), GetContents (refuses an
//   existing file), CreateFile (a commit: content-creating), then Read; Read is GetContents and
//   GetCommit.
// - github/resource_github_branch_default.go: Create is Get, RenameBranch, at least one Get while
//   waiting for the rename, then Read; Read is Get.

/** Requests of one resource: to create it (of which writes, and content-creating), and to read it in a refresh. */
export interface RequestCost {
    readonly create: number;
    readonly writes: number;
    readonly contentCreating: number;
    readonly refresh: number;
}

export const requestCosts: Readonly<Record<string, RequestCost>> = {
    "github:index/repository:Repository": { create: 4, writes: 2, contentCreating: 1, refresh: 2 },
    "github:index/repositoryDeployKey:RepositoryDeployKey": { create: 2, writes: 1, contentCreating: 0, refresh: 1 },
    "github:index/repositoryFile:RepositoryFile": { create: 5, writes: 1, contentCreating: 1, refresh: 2 },
    "github:index/branchDefault:BranchDefault": { create: 4, writes: 1, contentCreating: 0, refresh: 1 },
};

/** GitHub's limits (docs.github.com "Rate limits for the REST API"; REFERENCE.md "GitHub's API limits"). */
export const githubLimits = {
    tokenPerHour: 5_000,
    enterpriseAppPerHour: 15_000,
    concurrent: 100,
    contentCreatingPerMinute: 80,
    contentCreatingPerHour: 500,
    /** The provider's default `github:writeDelayMs`, with one request at a time (`parallelRequests: false`). */
    writeDelayMs: 1_000,
} as const;

export interface Totals {
    readonly objects: number;
    readonly create: number;
    readonly writes: number;
    readonly contentCreating: number;
    readonly refresh: number;
}

/** The cost of registrations counted by type. Throws on a GitHub type without a known cost. */
export function totals(byType: Readonly<Record<string, number>>): Totals {
    let t = { objects: 0, create: 0, writes: 0, contentCreating: 0, refresh: 0 };
    for (const [type, count] of Object.entries(byType)) {
        if (!type.startsWith("github:")) continue;
        const cost = requestCosts[type];
        if (!cost) throw new Error(`no request cost known for ${type}`);
        t = {
            objects: t.objects + count,
            create: t.create + count * cost.create,
            writes: t.writes + count * cost.writes,
            contentCreating: t.contentCreating + count * cost.contentCreating,
            refresh: t.refresh + count * cost.refresh,
        };
    }
    return t;
}

/** A stack of `teams` teams: the shared resources once, a team's `teams` times. */
export function stackTotals(shared: Totals, perTeam: Totals, teams: number): Totals {
    const times = (k: keyof Totals) => shared[k] + perTeam[k] * teams;
    return { objects: times("objects"), create: times("create"), writes: times("writes"), contentCreating: times("contentCreating"), refresh: times("refresh") };
}

/**
 * Hours for the first `pulumi up` of a stack: the slowest of GitHub's content-creating limits
 * (per hour and per minute), its primary limit for `perHour` requests, and the provider's own
 * pacing (one write per `writeDelayMs`, requests one at a time).
 */
export function onboardHours(t: Totals, perHour: number): number {
    return Math.max(
        t.contentCreating / githubLimits.contentCreatingPerHour,
        t.contentCreating / (githubLimits.contentCreatingPerMinute * 60),
        t.create / perHour,
        (t.writes * githubLimits.writeDelayMs) / 3_600_000,
    );
}

/** Hours of primary limit a `pulumi refresh` (or `up --refresh`) takes: its reads over `perHour`. */
export function refreshHours(t: Totals, perHour: number): number {
    return t.refresh / perHour;
}
