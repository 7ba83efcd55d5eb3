using TrafficActors.Settings;
using Akka.Configuration;
using TrafficActors.Generator;
using Xunit;

namespace TrafficActors.Tests.Generator;

[Trait(Tier.Name, Tier.Fast)]
public sealed class GeneratorSettingsTests
{
    private static GeneratorSettings Parse(string hocon) =>
        GeneratorSettings.FromConfig(ConfigurationFactory.ParseString(hocon).GetConfig("traffic.generator") ?? Config.Empty);

    private static string ConfFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon", "generator.conf");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("hocon/generator.conf not found above the test output folder");
    }

    private static GeneratorSettings ParseFile(IReadOnlyDictionary<string, string> environment) =>
        GeneratorSettings.FromConfig(ConfigurationFactory
            .ParseString(HoconEnvironment.Resolve(File.ReadAllText(ConfFile()), name => environment.GetValueOrDefault(name)))
            .GetConfig("traffic.generator"));

    [Fact]
    public void Shipped_file_parses_to_the_defaults()
    {
        var parsed = ParseFile(new Dictionary<string, string>());

        Assert.Equal(new GeneratorSettings(), parsed);
        Assert.Equal(GeneratorMode.Fleet, parsed.Mode);
        Assert.Equal(20, parsed.Cars);
        Assert.Equal(50, parsed.Rate);
        Assert.Equal(0, parsed.Count);
        Assert.Null(parsed.Duration);
        Assert.False(parsed.SampleIntervalIsExplicit);
        Assert.Equal(TimeSpan.FromMilliseconds(400), parsed.SampleInterval);
        Assert.Equal("raw-data", parsed.Topic);
    }

    [Fact]
    public void Shipped_file_documents_every_key_and_lets_the_environment_override_it()
    {
        var lines = File.ReadAllLines(ConfFile()).Select(l => l.Trim()).ToList();
        var keys = new HashSet<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#') || line.EndsWith('{') || line == "}")
                continue;
            var key = line[..line.IndexOf('=')].Trim();
            var previous = lines[i - 1];
            // Either the comment sits right above, or this is the env-override line right under the same key.
            Assert.True(previous.StartsWith('#') || previous.StartsWith(key + " ", StringComparison.Ordinal), $"'{key}' has no comment above it");
            if (keys.Add(key))
                Assert.Contains(lines, l => l.StartsWith(key + " = ${?TRAFFIC_GENERATOR_", StringComparison.Ordinal));
        }

        Assert.Equal(
            new[] { "cars", "count", "duration", "enabled", "engine-stress-rate", "harsh-braking-rate", "mode", "overspeed-rate", "rate", "sample-interval", "seed", "topic", "wrong-gear-rate" },
            keys.Order());
    }

    [Fact]
    public void Missing_section_or_keys_mean_defaults()
    {
        Assert.Equal(new GeneratorSettings(), GeneratorSettings.FromConfig(Config.Empty));
        Assert.Equal(new GeneratorSettings(), Parse("traffic.generator { }"));
    }

    [Fact]
    public void Every_key_is_read()
    {
        var s = Parse("""
            traffic.generator {
              mode = seed
              cars = 100
              rate = 1000.5
              count = 5000000000
              duration = 90s
              seed = 7
              sample-interval = 250ms
              overspeed-rate = 0.5
              wrong-gear-rate = 0.25
              engine-stress-rate = 1.5
              harsh-braking-rate = 2
              topic = "raw-test"
            }
            """);

        Assert.Equal(GeneratorMode.Seed, s.Mode);
        Assert.Equal(100, s.Cars);
        Assert.Equal(1000.5, s.Rate);
        Assert.Equal(5_000_000_000L, s.Count);
        Assert.Equal(TimeSpan.FromSeconds(90), s.Duration);
        Assert.Equal(7, s.Seed);
        Assert.True(s.SampleIntervalIsExplicit);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.SampleInterval);
        Assert.Equal(0.5, s.OverspeedRate);
        Assert.Equal(0.25, s.WrongGearRate);
        Assert.Equal(1.5, s.EngineStressRate);
        Assert.Equal(2, s.HarshBrakingRate);
        Assert.Equal("raw-test", s.Topic);
    }

    [Fact]
    public void Derived_sample_interval_follows_cars_and_rate()
    {
        var s = Parse("traffic.generator { cars = 10, rate = 20, sample-interval = auto, duration = 0 }");
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.SampleInterval);
        Assert.Null(s.Duration);
        Assert.Equal(TimeSpan.FromSeconds(1), (s with { Rate = 0 }).SampleInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), (s with { Cars = 40 }).SampleInterval);
    }

    [Fact]
    public void Environment_variables_override_the_shipped_file()
    {
        var parsed = ParseFile(new Dictionary<string, string>
        {
            ["TRAFFIC_GENERATOR_MODE"] = "seed",
            ["TRAFFIC_GENERATOR_RATE"] = "1234.5",
            ["TRAFFIC_GENERATOR_DURATION"] = "2m",
            ["TRAFFIC_GENERATOR_SAMPLE_INTERVAL"] = "100ms",
            ["TRAFFIC_GENERATOR_TOPIC"] = "raw:alt",
        });

        Assert.Equal(new GeneratorSettings
        {
            Mode = GeneratorMode.Seed,
            Rate = 1234.5,
            Duration = TimeSpan.FromMinutes(2),
            SampleInterval = TimeSpan.FromMilliseconds(100),
            Topic = "raw:alt",
        }, parsed);
    }

    [Fact]
    public void Resolving_keeps_earlier_values_and_the_keys_that_follow()
    {
        const string hocon = "a {\n  x = 5\n  x = ${?UNSET_VAR} # note\n  y = 30s\n  z = \"p\"${?SUFFIX}\n}";
        var resolved = HoconEnvironment.Resolve(hocon, name => name == "SUFFIX" ? "-q" : null);
        var c = ConfigurationFactory.ParseString(resolved).GetConfig("a");

        Assert.Equal(5, c.GetInt("x"));
        Assert.Equal(TimeSpan.FromSeconds(30), c.GetTimeSpan("y"));
        Assert.Equal("p-q", c.GetString("z"));
        Assert.Equal(hocon.Count(ch => ch == '\n'), resolved.Count(ch => ch == '\n'));
    }

    [Fact]
    public void Environment_variables_override_through_optional_substitution()
    {
        var name = "TRAFFIC_GENERATOR_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "321");
        try
        {
            var s = GeneratorSettings.FromConfig(ConfigurationFactory.ParseString(HoconEnvironment.Resolve(
                $"traffic.generator {{\n rate = 50\n rate = ${{?{name}}}\n cars = 5\n cars = ${{?{name}_UNSET}}\n}}")).GetConfig("traffic.generator"));
            Assert.Equal(321, s.Rate);
            Assert.Equal(5, s.Cars);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("cars = 0")]
    [InlineData("cars = 2000000")]
    [InlineData("mode = warp")]
    [InlineData("count = -1")]
    [InlineData("overspeed-rate = -0.1")]
    [InlineData("harsh-braking-rate = 100")]
    [InlineData("sample-interval = -1s")]
    [InlineData("topic = \"\"")]
    public void Invalid_values_are_rejected(string line) =>
        Assert.Throws<ConfigurationException>(() => Parse($"traffic.generator {{ {line} }}"));
}
