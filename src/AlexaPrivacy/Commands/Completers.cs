// Tab completion for parameters whose values come from the site profile or a fixed list.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    /// <summary>Offers the candidates that start with what was typed (quotes ignored), each with a tooltip.</summary>
    public abstract class PrefixCompleter : IArgumentCompleter
    {
        /// <summary>The values to offer, each with its tooltip.</summary>
        protected abstract IEnumerable<KeyValuePair<string, string>> Candidates();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? "").Trim('\'', '"');
            return Candidates()
                .Where(c => c.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c.Key, c.Key, CompletionResultType.ParameterValue, c.Value))
                .ToList();
        }
    }

    /// <summary>Completes -Marketplace from the site profile.</summary>
    public sealed class MarketplaceCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            SiteProfile.Resolve().Marketplaces.Select(p => new KeyValuePair<string, string>(p.Key, $"{p.Key} ({p.Value.Language})"));
    }

    /// <summary>Completes -Name with the settings of the site profile.</summary>
    public sealed class SettingNameCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            SiteProfile.Resolve().Settings.Select(p => new KeyValuePair<string, string>(p.Key, $"{p.Key} ({p.Value.Kind})"));
    }

    /// <summary>Completes -Value with the retention periods.</summary>
    public sealed class RetentionCompleter : PrefixCompleter
    {
        protected override IEnumerable<KeyValuePair<string, string>> Candidates() =>
            Enum.GetNames(typeof(VoiceRecordingRetention)).Select(n => new KeyValuePair<string, string>(n, n));
    }
}
