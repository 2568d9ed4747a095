namespace AlexaPrivacy.Replica;

/// <summary>
/// A variant rendering of the site contract, chosen from a seed. Each freedom (something the
/// contract leaves open) takes one of its choices from its own <see cref="Random"/> stream,
/// derived from the seed and the freedom's name, so the same seed always gives the same
/// choices and every freedom varies across seeds independently of the others. Roles, whole
/// accessible names, sign-in ids, URLs, behaviour and the admin API never vary.
/// </summary>
public sealed class Variant
{
    /// <summary>Every freedom with its choices; the first choice is the closest to the default rendering.</summary>
    public static readonly IReadOnlyList<(string Name, string[] Choices)> Freedoms = new (string, string[])[]
    {
        ("buttons", new[] { "native", "aria" }),
        ("switches", new[] { "button-labelledby", "button-arialabel", "checkbox-label", "checkbox-role-switch", "div-labelledby", "div-arialabel" }),
        ("radios", new[] { "native-radiogroup", "native-fieldset", "aria-radio" }),
        ("filterLayout", new[] { "separate", "combined" }),
        ("dateFilter", new[] { "select", "listbox", "menu" }),
        ("deviceFilter", new[] { "select", "listbox", "menu" }),
        ("combinedFilter", new[] { "menu", "listbox" }),
        ("dateInputs", new[] { "date-labelfor", "text-arialabel", "date-labelledby" }),
        ("passwordStep", new[] { "same-url", "ax-claim" }),
        ("signinDuplicates", new[] { "none", "type-hidden", "css-hidden" }),
        ("signinMessageBoxes", new[] { "when-needed", "always-present" }),
        ("signinSubmit", new[] { "visible", "transparent-overlay" }),
        ("names", new[] { "stable", "random" }),
        ("sectionOrder", new[] { "standard", "reversed", "improve-first", "personalization-first" }),
        ("decoyLabels", new[] { "few", "many" }),
        ("dialogTiming", new[] { "immediate", "delayed" }),
        ("dialogElement", new[] { "div", "native-dialog" }),
        ("rerender", new[] { "in-place", "whole-view" }),
        ("boxHeadings", new[] { "button", "role-button" }),
        ("records", new[] { "list", "details", "articles" }),
        ("paging", new[] { "show-more", "scroll" }),
        ("interstitials", new[] { "none", "phone", "passkey", "phone+passkey" }),
        ("passkeyDecline", new[] { "link", "button" }),
        ("passkeyPrompt", new[] { "passkey-accounts", "all-accounts" }),
        ("passkeyLink", new[] { "password-link", "other-ways" }),
        ("assets", new[] { "inline", "external" }),
        ("pageHeading", new[] { "server", "script" }),
        ("customRange", new[] { "input", "change", "apply-button", "enter" }),
        ("deviceFiltering", new[] { "server", "page" }),
        ("deleteAllScope", new[] { "filter", "loaded" }),
        ("pageSize", new[] { "option", "small" }),
        ("forgotPasswordEmail", new[] { "ap-email", "own-id" }),
    };

    private Variant(int seed, Dictionary<string, string> choices)
    {
        Seed = seed;
        Choices = choices;
    }

    public int Seed { get; }

    /// <summary>Freedom name to chosen choice.</summary>
    public IReadOnlyDictionary<string, string> Choices { get; }

    public string this[string freedom] => Choices[freedom];

    public bool Is(string freedom, string choice) => string.Equals(Choices[freedom], choice, StringComparison.Ordinal);

    /// <summary>The variant of a seed (deterministic).</summary>
    public static Variant FromSeed(int seed)
    {
        var choices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, options) in Freedoms)
        {
            var stream = new Random(StreamSeed(seed, name));
            choices[name] = options[stream.Next(options.Length)];
        }
        return new Variant(seed, choices);
    }

    /// <summary>The seed of one freedom's stream: the variant seed mixed with a stable hash of the name.</summary>
    public static int StreamSeed(int seed, string name)
    {
        unchecked
        {
            uint h = Fnv(name);
            uint s = (uint)seed * 0x9E3779B1u ^ h;
            s ^= s >> 16; s *= 0x85EBCA6Bu; s ^= s >> 13; s *= 0xC2B2AE35u; s ^= s >> 16;
            return (int)(s & 0x7FFFFFFF);
        }
    }

    /// <summary>FNV-1a over UTF-16 code units (the page scripts use the same function for names).</summary>
    public static uint Fnv(string text)
    {
        unchecked
        {
            uint h = 2166136261;
            foreach (char c in text) { h ^= c; h *= 16777619; }
            return h;
        }
    }

    /// <summary>The random-looking name (id or class) that replaces a stable one under names=random.</summary>
    public string Mangle(string name) => "x" + Convert.ToString(Fnv(Seed + ":" + name), 16) + (Fnv(name + ":" + Seed) % 997).ToString();

    /// <summary>The data the page scripts get: seed and choices.</summary>
    public object ToConfig() => new { seed = Seed, freedoms = Choices };

    /// <summary>
    /// The data the page scripts get for the default rendering (no seed): the choices that render it,
    /// plus three only the default uses: names=fixed (the default's fixed ids, form names, option values
    /// and data-* hooks, its own dialog, its voice history filters kept in place and its "Show more"
    /// kept, disabled, while the next page loads), customRange=change-always (every change of a date
    /// field reloads the voice history list) and, in the 2019 generation, switches=checkbox-fixed (a
    /// checkbox with its label and the description below it). The page scripts read these exactly as
    /// they read a variant's.
    /// </summary>
    public static object DefaultConfig(string generation) => new
    {
        seed = (int?)null,
        freedoms = new Dictionary<string, string>
        {
            ["buttons"] = "native",
            ["switches"] = generation == "2019" ? "checkbox-fixed" : "button-labelledby",
            ["radios"] = "native-radiogroup",
            ["names"] = "fixed",
            ["sectionOrder"] = "standard",
            ["decoyLabels"] = "few",
            ["dialogTiming"] = "immediate",
            ["dialogElement"] = "div",
            ["rerender"] = "in-place",
            ["boxHeadings"] = "button",
            ["pageHeading"] = "server",
            ["filterLayout"] = "separate",
            ["dateFilter"] = "select",
            ["deviceFilter"] = "select",
            ["combinedFilter"] = "menu",
            ["dateInputs"] = "date-labelfor",
            ["records"] = "list",
            ["paging"] = "show-more",
            ["customRange"] = "change-always",
            ["deviceFiltering"] = "server",
            ["deleteAllScope"] = "filter",
        },
    };
}
