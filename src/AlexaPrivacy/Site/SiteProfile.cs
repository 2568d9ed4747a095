// What the module knows of Amazon's pages (URLs, labels per generation and language, sign-in ids),
// loaded from the embedded SiteProfile.json and optionally overlaid by a user's file.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AlexaPrivacy.Site
{
    public sealed class SiteProfile
    {
        public const string EnvironmentVariable = "ALEXAPRIVACY_SITE_PROFILE";

        public int SchemaVersion { get; set; }
        public Dictionary<string, MarketplaceInfo> Marketplaces { get; set; }
        public SitePaths Paths { get; set; }
        public string LanguageParameter { get; set; }
        public string FallbackLanguage { get; set; }
        public SignInSelectors SignIn { get; set; }
        public SiteTimeouts Timeouts { get; set; }
        public SiteLimits Limits { get; set; } = new SiteLimits();
        public Dictionary<string, SettingDefinition> Settings { get; set; }
        public Dictionary<string, LanguageLabels> Languages { get; set; }

        /// <summary>"embedded", or the path of the override file that was laid over it.</summary>
        [JsonIgnore]
        public string Source { get; private set; }

        /// <summary>True when an override file was laid over the embedded profile.</summary>
        [JsonIgnore]
        public bool IsOverride => !string.Equals(Source, "embedded", StringComparison.Ordinal);

        /// <summary>The warning a command writes when an override is in force.</summary>
        [JsonIgnore]
        public string OverrideWarning => IsOverride
            ? $"The site profile override '{Source}' is in force: its labels, paths and timeouts replace the module's own (hosts always come from the module's list or -BaseUri)."
            : null;

        private static readonly Lazy<SiteProfile> EmbeddedProfile = new Lazy<SiteProfile>(() => Parse(ReadEmbeddedNode(), "embedded"));

        public static SiteProfile Embedded => EmbeddedProfile.Value;

        /// <summary>The profile in force: the embedded one, overlaid with <paramref name="overridePath"/> or the environment's file when given.</summary>
        public static SiteProfile Resolve(string overridePath = null)
        {
            string path = string.IsNullOrEmpty(overridePath) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : overridePath;
            if (string.IsNullOrEmpty(path)) return Embedded;
            return Load(path);
        }

        public static SiteProfile Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Invalid(path, $"cannot be read: {e.Message}");
            }
            JsonNode overlay;
            try
            {
                overlay = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw Invalid(path, $"is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
            }
            if (!(overlay is JsonObject overlayObject))
            {
                throw Invalid(path, "must hold a JSON object at the top");
            }
            // The profile is read without regard to case: "Marketplaces" and "marketplaces" are one key,
            // so a file that gives a key twice (in any spelling) is ambiguous, and refused.
            string repeated = RepeatedKey(text);
            if (repeated != null) throw Invalid(path, $"gives the key '{repeated}' more than once (keys are read without regard to case)");
            var merged = ReadEmbeddedNode();
            try
            {
                RefuseHosts(merged, overlayObject, path);
                Merge(merged, overlayObject);
            }
            catch (ArgumentException e)
            {
                throw Invalid(path, $"cannot be laid over the embedded profile: {e.Message}");
            }
            var profile = Parse(merged, path);
            EnsureBuiltInHosts(profile);
            return profile;
        }

        /// <summary>
        /// The rule for where credentials go, checked on what was loaded rather than on how the file
        /// spells its keys: every marketplace, and its host, is the embedded profile's own.
        /// </summary>
        private static void EnsureBuiltInHosts(SiteProfile profile)
        {
            var own = Embedded.Marketplaces;
            foreach (var pair in profile.Marketplaces)
            {
                if (!own.TryGetValue(pair.Key, out var builtIn))
                    throw Invalid(profile.Source, $"names 'marketplaces.{pair.Key}.host', a marketplace the module does not know: hosts come from the module's own list and cannot be added by an override (give -BaseUri to use another host)");
                if (!string.Equals(pair.Value.Host, builtIn.Host, StringComparison.OrdinalIgnoreCase))
                    throw Invalid(profile.Source, $"changes 'marketplaces.{pair.Key}.host': hosts come from the module's own list and cannot be overridden (give -BaseUri to use another host)");
            }
            foreach (var name in own.Keys)
            {
                if (!profile.Marketplaces.ContainsKey(name))
                    throw Invalid(profile.Source, $"drops 'marketplaces.{name}': the module's list of marketplaces and hosts cannot be replaced by an override");
            }
        }

        /// <summary>The first key that an object of <paramref name="text"/> gives twice (case ignored), as a dotted path; null when none is.</summary>
        internal static string RepeatedKey(string text)
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text),
                new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var keys = new Stack<HashSet<string>>();
            var names = new Stack<string>();
            string pending = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        names.Push(pending);
                        pending = null;
                        break;
                    case JsonTokenType.StartArray:
                        keys.Push(null);
                        names.Push(pending);
                        pending = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        keys.Pop();
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        string name = reader.GetString();
                        if (!keys.Peek().Add(name))
                            return string.Join(".", names.Reverse().Where(n => n != null).Concat(new[] { name }));
                        pending = name;
                        break;
                    default:
                        pending = null;
                        break;
                }
            }
            return null;
        }

        /// <summary>The property of <paramref name="node"/> named <paramref name="key"/> in any case (the profile is read without regard to case).</summary>
        private static string KeyOf(JsonObject node, string key) =>
            node.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Where credentials go is not the override's to decide: a marketplace's host comes from the
        /// module's own list (or an explicit -BaseUri). An override may repeat a host unchanged (a
        /// copy of Get-AlexaSiteProfile -AsJson), but neither change one nor add a marketplace.
        /// </summary>
        private static void RefuseHosts(JsonObject embedded, JsonObject overlay, string path)
        {
            string key = KeyOf(overlay, "marketplaces");
            if (key == null || overlay[key] == null) return;
            if (!(overlay[key] is JsonObject marketplaces)) throw Invalid(path, $"has '{key}' that is not an object");
            var known = (JsonObject)embedded["marketplaces"];
            foreach (var pair in marketplaces)
            {
                string at = "marketplaces." + pair.Key;
                string ownKey = KeyOf(known, pair.Key);
                if (!(ownKey != null && known[ownKey] is JsonObject own))
                    throw Invalid(path, $"names '{at}.host', a marketplace the module does not know: hosts come from the module's own list and cannot be added by an override (give -BaseUri to use another host)");
                if (!(pair.Value is JsonObject given)) throw Invalid(path, $"has '{at}' that is not an object");
                foreach (var field in given)
                {
                    if (!string.Equals(field.Key, "host", StringComparison.OrdinalIgnoreCase)) continue;
                    string value = field.Value is JsonValue v && v.TryGetValue(out string text) ? text : null;
                    if (!string.Equals(value, (string)own["host"], StringComparison.OrdinalIgnoreCase))
                        throw Invalid(path, $"changes '{at}.host': hosts come from the module's own list and cannot be overridden (give -BaseUri to use another host)");
                }
            }
        }

        private static JsonObject ReadEmbeddedNode()
        {
            using (var stream = typeof(SiteProfile).Assembly.GetManifestResourceStream("AlexaPrivacy.SiteProfile.json"))
            using (var reader = new StreamReader(stream))
            {
                return (JsonObject)JsonNode.Parse(reader.ReadToEnd());
            }
        }

        /// <summary>
        /// Objects merge key by key, a key matching in any case (as the profile is read); anything else
        /// in the overlay replaces what was there.
        /// </summary>
        internal static void Merge(JsonObject target, JsonObject overlay)
        {
            foreach (var pair in overlay.ToList())
            {
                string key = KeyOf(target, pair.Key) ?? pair.Key;
                if (pair.Value is JsonObject overlayChild && target[key] is JsonObject targetChild)
                {
                    Merge(targetChild, overlayChild);
                }
                else
                {
                    target[key] = pair.Value?.DeepClone();
                }
            }
        }

        private static readonly JsonSerializerOptions SerializerOptions = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        private static SiteProfile Parse(JsonObject node, string source)
        {
            SiteProfile profile;
            try
            {
                profile = node.Deserialize<SiteProfile>(SerializerOptions);
            }
            catch (JsonException e)
            {
                throw Invalid(source, $"has a field of the wrong type at '{e.Path?.TrimStart('$', '.')}': {e.Message}");
            }
            profile.Source = source;
            profile.Validate();
            return profile;
        }

        private void Validate()
        {
            var missing = new List<string>();
            void Need(string field, object value)
            {
                if (value == null || (value is string s && string.IsNullOrWhiteSpace(s))) missing.Add(field);
            }

            Need("marketplaces", Marketplaces);
            foreach (var m in Marketplaces ?? new Dictionary<string, MarketplaceInfo>())
            {
                Need($"marketplaces.{m.Key}", m.Value);
                if (m.Value == null) continue;
                Need($"marketplaces.{m.Key}.host", m.Value.Host);
                Need($"marketplaces.{m.Key}.cookieSuffix", m.Value.CookieSuffix);
                Need($"marketplaces.{m.Key}.language", m.Value.Language);
            }
            Need("paths", Paths);
            Need("paths.hub", Paths?.Hub);
            Need("paths.settings", Paths?.Settings);
            Need("paths.voiceHistory", Paths?.VoiceHistory);
            Need("paths.voiceHistoryRecords", Paths?.VoiceHistoryRecords);
            Need("paths.signIn", Paths?.SignIn);
            Need("paths.signOut", Paths?.SignOut);
            foreach (var property in typeof(SitePaths).GetProperties())
            {
                // A path is joined to the marketplace's origin: '//host', 'https://host' or a backslash would leave it.
                string value = Paths == null ? null : property.GetValue(Paths) as string;
                if (string.IsNullOrWhiteSpace(value)) continue;
                if (!value.StartsWith("/", StringComparison.Ordinal) || value.StartsWith("//", StringComparison.Ordinal) || value.IndexOf('\\') >= 0
                    || value.Any(char.IsWhiteSpace) || value.Any(char.IsControl))
                {
                    string field = "paths." + char.ToLowerInvariant(property.Name[0]) + property.Name.Substring(1);
                    throw Invalid(Source, $"has '{field}' = '{value}', which is not a path on the marketplace's own site: a path starts with a single '/'");
                }
            }
            Need("languageParameter", LanguageParameter);
            Need("fallbackLanguage", FallbackLanguage);
            Need("signIn", SignIn);
            foreach (var property in typeof(SignInSelectors).GetProperties())
            {
                Need("signIn." + char.ToLowerInvariant(property.Name[0]) + property.Name.Substring(1), SignIn == null ? null : property.GetValue(SignIn));
            }
            Need("timeouts", Timeouts);
            if (Timeouts != null && (Timeouts.NavigationSeconds <= 0 || Timeouts.ActionSeconds <= 0 || Timeouts.ApprovalSeconds < 0 || Timeouts.AccountSeconds <= 0))
            {
                throw Invalid(Source, "has a timeout that is not a positive number of seconds in 'timeouts'");
            }
            if (Limits == null || Limits.RecordsPerFilter < 1)
            {
                throw Invalid(Source, "has no positive whole number in 'limits.recordsPerFilter'");
            }
            Need("settings", Settings);
            Need("languages", Languages);
            if (Languages != null && LabelsFor(FallbackLanguage)?.HasPageLabels != true) missing.Add($"languages.{LanguageKey(FallbackLanguage)}");
            foreach (var language in Languages ?? new Dictionary<string, LanguageLabels>())
            {
                string at = "languages." + language.Key;
                Need(at, language.Value);
                if (language.Value == null) continue;
                // A language may hold only the sign-in words: its privacy pages are then asked for in the fallback language.
                if (!language.Value.HasPageLabels) continue;
                Need(at + ".settingsPage.heading", language.Value.SettingsPage?.Heading);
                Need(at + ".settingsPage.turnOff", language.Value.SettingsPage?.TurnOff);
                Need(at + ".settingsPage.confirm", language.Value.SettingsPage?.Confirm);
                Need(at + ".settingsPage.save", language.Value.SettingsPage?.Save);
                Need(at + ".settingsPage.retentionGroup", language.Value.SettingsPage?.RetentionGroup);
                Need(at + ".generations.2025", language.Value.Generations?.ContainsKey("2025") == true ? "ok" : null);
                Need(at + ".generations.2019.marker", language.Value.Generations != null && language.Value.Generations.TryGetValue("2019", out var g2019) && g2019 != null && g2019.ContainsKey("marker") ? "ok" : null);
                Need(at + ".retention", language.Value.Retention);
            }
            if (missing.Count > 0)
            {
                throw Invalid(Source, "is missing " + string.Join(", ", missing.Select(f => $"'{f}'")));
            }
        }

        private static AlexaException Invalid(string source, string what) =>
            new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                source == "embedded" ? $"The embedded site profile {what}." : $"The site profile '{source}' {what}.")
            {
                RecommendedAction = "Fix the named field in the site profile file, or remove the override to use the embedded profile.",
            };

        private static string LanguageKey(string language) =>
            string.IsNullOrEmpty(language) ? "" : language.Split('_', '-')[0].ToLowerInvariant();

        /// <summary>Labels for a page language such as de_DE: an exact entry first, then the language alone ("de"); null when the profile holds none.</summary>
        public LanguageLabels LabelsFor(string language)
        {
            if (string.IsNullOrEmpty(language) || Languages == null) return null;
            if (Languages.TryGetValue(language, out var exact)) return exact;
            return Languages.TryGetValue(LanguageKey(language), out var general) ? general : null;
        }

        public MarketplaceInfo Marketplace(string name)
        {
            if (name != null && Marketplaces.TryGetValue(NormalizeMarketplace(name), out var info)) return info;
            string guess = Suggest(name);
            throw AlexaException.InvalidInput(
                $"'{name}' is not a marketplace the site profile knows{(guess == null ? "" : $"; did you mean {guess}?")} Use one of: {string.Join(", ", Marketplaces.Keys)}.");
        }

        // The marketplace a short name most likely means: "de" is amazon.de, "uk" amazon.co.uk, "us" (en_US) amazon.com.
        private string Suggest(string name)
        {
            string n = NormalizeMarketplace(name)?.TrimStart('.');
            if (string.IsNullOrEmpty(n)) return null;
            if (n.StartsWith("amazon.")) n = n.Substring(7);
            var byDomain = Marketplaces.Keys.FirstOrDefault(k => k.EndsWith("." + n, StringComparison.OrdinalIgnoreCase));
            if (byDomain != null) return byDomain;
            return Marketplaces.FirstOrDefault(m => m.Value.Language != null
                && m.Value.Language.EndsWith("_" + n, StringComparison.OrdinalIgnoreCase)).Key;
        }

        /// <summary>The marketplace whose cookies carry <paramref name="suffix"/> (at-acbde: amazon.de), or null.</summary>
        public string MarketplaceOfCookieSuffix(string suffix) =>
            Marketplaces.FirstOrDefault(m => string.Equals(m.Value.CookieSuffix, suffix, StringComparison.OrdinalIgnoreCase)).Key;

        public static string NormalizeMarketplace(string name)
        {
            if (name == null) return null;
            string n = name.Trim().ToLowerInvariant();
            if (n.StartsWith("https://")) n = n.Substring(8);
            if (n.StartsWith("www.")) n = n.Substring(4);
            return n.TrimEnd('/');
        }

        public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
    }
}
