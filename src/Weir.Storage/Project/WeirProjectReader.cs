using System.Globalization;
using Weir.Storage.Config;
using Weir.Storage.Steps;

namespace Weir.Storage.Project;

/// <summary>Reads <c>weir.yaml</c>. Every error is a <see cref="ConfigException"/> that names the file, line and column.</summary>
public static class WeirProjectReader
{
    private static readonly string[] s_topKeys = ["name", "weir-version", "build", "push", "pull", "deployments"];
    private static readonly string[] s_deploymentKeys =
        ["name", "entrypoint", "description", "version", "tags", "blocks", "parameters", "work_pool", "schedules", "schedule", "retries", "retry_delay_seconds", "pull", "push", "build", "flow_name"];

    /// <summary>Reads and checks a <c>weir.yaml</c> file.</summary>
    public static WeirProject ReadFile(string path) => Read(YamlConfigReader.ReadFile(path), path);

    /// <summary>Reads and checks <c>weir.yaml</c> text.</summary>
    public static WeirProject Read(string yaml, string path) => Read(YamlConfigReader.Read(yaml, path), path);

    private static WeirProject Read(ConfigNode root, string path)
    {
        var top = root as ConfigMap ?? throw new ConfigException(root.Location, "weir.yaml must be a mapping with keys such as name, pull and deployments.");
        CheckKeys(top, s_topKeys, "the top level of weir.yaml");
        var deployments = new List<DeploymentDefinition>();
        if (top["deployments"] is { } deploymentsNode and not ConfigScalar { Value: null })
        {
            var list = deploymentsNode as ConfigList ?? throw new ConfigException(deploymentsNode.Location, "'deployments' must be a list; start each deployment with '- name: ...'.");
            foreach (var item in list.Items)
            {
                deployments.Add(ReadDeployment(item));
            }

            foreach (var duplicate in deployments.GroupBy(d => d.Name).Where(g => g.Count() > 1))
            {
                throw new ConfigException(duplicate.Skip(1).First().Location, $"two deployments are named '{duplicate.Key}'; names must be unique.");
            }
        }

        return new WeirProject
        {
            Path = path,
            Name = OptionalString(top, "name"),
            Build = StepDefinition.ReadList(top["build"], "build"),
            Push = StepDefinition.ReadList(top["push"], "push"),
            Pull = StepDefinition.ReadList(top["pull"], "pull"),
            Deployments = deployments,
        };
    }

    private static DeploymentDefinition ReadDeployment(ConfigNode node)
    {
        var map = node as ConfigMap ?? throw new ConfigException(node.Location, "each deployment must be a mapping with at least 'name' and 'entrypoint'.");
        CheckKeys(map, s_deploymentKeys, "a deployment");
        var name = RequiredString(map, "name", "a deployment");
        var where = $"deployment '{name}'";
        var entrypoint = RequiredString(map, "entrypoint", where);
        if (!entrypoint.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigException(map["entrypoint"]!.Location, $"the entrypoint of {where} must be path/to/file.cs:flow-name, not '{entrypoint}'.");
        }

        var workPool = "default";
        ConfigMap? jobVariables = null;
        if (map["work_pool"] is { } poolNode and not ConfigScalar { Value: null })
        {
            var pool = poolNode as ConfigMap ?? throw new ConfigException(poolNode.Location, $"'work_pool' of {where} must be a mapping like {{ name: default }}.");
            CheckKeys(pool, ["name", "work_queue_name", "job_variables"], $"the work_pool of {where}");
            workPool = OptionalString(pool, "name") ?? workPool;
            jobVariables = OptionalMap(pool, "job_variables", where);
        }

        return new DeploymentDefinition
        {
            Name = name,
            Entrypoint = entrypoint,
            Description = OptionalString(map, "description"),
            WorkPool = workPool,
            JobVariables = jobVariables,
            Parameters = OptionalMap(map, "parameters", where),
            Schedules = ReadSchedules(map, where),
            Tags = ReadTags(map, where),
            Blocks = ReadBlocks(map, where),
            Retries = (int)(OptionalNumber(map, "retries", where) ?? 0),
            RetryDelaySeconds = OptionalNumber(map, "retry_delay_seconds", where) ?? 0,
            Pull = map["pull"] is null ? null : StepDefinition.ReadList(map["pull"], "pull"),
            Push = map["push"] is null ? null : StepDefinition.ReadList(map["push"], "push"),
            Build = map["build"] is null ? null : StepDefinition.ReadList(map["build"], "build"),
            Location = map.Location,
        };
    }

    private static List<ScheduleDefinition> ReadSchedules(ConfigMap map, string where)
    {
        var nodes = new List<ConfigNode>();
        if (map["schedule"] is { } single and not ConfigScalar { Value: null })
        {
            nodes.Add(single);
        }

        if (map["schedules"] is { } many and not ConfigScalar { Value: null })
        {
            nodes.AddRange((many as ConfigList ?? throw new ConfigException(many.Location, $"'schedules' of {where} must be a list.")).Items);
        }

        var schedules = new List<ScheduleDefinition>();
        foreach (var node in nodes)
        {
            var schedule = node as ConfigMap ?? throw new ConfigException(node.Location, $"a schedule of {where} must be a mapping like {{ cron: '0 2 * * *', timezone: Europe/Berlin }}.");
            CheckKeys(schedule, ["cron", "interval", "timezone", "active"], $"a schedule of {where}");
            var cron = OptionalString(schedule, "cron");
            var interval = OptionalNumber(schedule, "interval", where);
            if ((cron is null) == (interval is null))
            {
                throw new ConfigException(schedule.Location, $"a schedule of {where} needs exactly one of 'cron' or 'interval' (seconds).");
            }

            if (interval is <= 0)
            {
                throw new ConfigException(schedule["interval"]!.Location, $"the interval of a schedule of {where} must be a positive number of seconds.");
            }

            var timezone = OptionalString(schedule, "timezone") ?? "UTC";
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out _))
            {
                throw new ConfigException(schedule["timezone"]!.Location, $"'{timezone}' is not a time zone this machine knows (use an IANA name such as Europe/Berlin).");
            }

            var active = schedule["active"] is ConfigScalar { Value: bool b } ? b : true;
            schedules.Add(new ScheduleDefinition(cron, interval, timezone, active, schedule.Location));
        }

        return schedules;
    }

    private static List<string> ReadTags(ConfigMap map, string where) => map["tags"] switch
    {
        null or ConfigScalar { Value: null } => [],
        ConfigList list => [.. list.Items.Select(i => i is ConfigScalar { Value: { } v } ? Convert.ToString(v, CultureInfo.InvariantCulture)! : throw new ConfigException(i.Location, $"tags of {where} must be text."))],
        var other => throw new ConfigException(other.Location, $"'tags' of {where} must be a list."),
    };

    private static List<string> ReadBlocks(ConfigMap map, string where) => map["blocks"] switch
    {
        null or ConfigScalar { Value: null } => [],
        ConfigList list => [.. list.Items.Select(i => i is ConfigScalar { Value: string text } && Client.BlockReference.Parse(text) is { } block
            ? block.ToString()
            : throw new ConfigException(i.Location, $"an entry of 'blocks' of {where} is TYPE/NAME (for example aws-credentials/prod), or NAME for a secret block."))],
        var other => throw new ConfigException(other.Location, $"'blocks' of {where} must be a list of TYPE/NAME (or NAME for a secret block)."),
    };

    private static void CheckKeys(ConfigMap map, string[] allowed, string where)
    {
        foreach (var (key, value) in map.Entries)
        {
            if (!allowed.Contains(key))
            {
                throw new ConfigException(map.LocationOfKey(key), $"unknown key '{key}' in {where}; expected one of: {string.Join(", ", allowed)}.");
            }
        }
    }

    private static string RequiredString(ConfigMap map, string key, string where) =>
        OptionalString(map, key) is { Length: > 0 } value ? value : throw new ConfigException(map.Location, $"{where} needs '{key}'.");

    private static string? OptionalString(ConfigMap map, string key) => map[key] switch
    {
        null or ConfigScalar { Value: null } => null,
        ConfigScalar { Value: var v } => Convert.ToString(v, CultureInfo.InvariantCulture),
        var other => throw new ConfigException(other.Location, $"'{key}' must be text."),
    };

    private static double? OptionalNumber(ConfigMap map, string key, string where) => map[key] switch
    {
        null or ConfigScalar { Value: null } => null,
        ConfigScalar { Value: long l } => l,
        ConfigScalar { Value: double d } => d,
        var other => throw new ConfigException(other.Location, $"'{key}' of {where} must be a number."),
    };

    private static ConfigMap? OptionalMap(ConfigMap map, string key, string where) => map[key] switch
    {
        null or ConfigScalar { Value: null } => null,
        ConfigMap m => m,
        var other => throw new ConfigException(other.Location, $"'{key}' of {where} must be a mapping of names to values."),
    };
}
