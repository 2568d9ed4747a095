// Get-AlexaDataSetting: the settings of "Manage Your Alexa Data", one object per setting.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Get, "AlexaDataSetting", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(AlexaDataSetting))]
    public sealed class GetAlexaDataSettingCommand : AlexaAccountCmdlet
    {
        /// <summary>The settings to read: several names, wildcards allowed; every setting when not given.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(SettingNameCompleter))]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; }

        internal override bool WorksOnSettingsPage => true;

        protected override string Activity => "Reading Alexa data settings";

        protected override void ProcessRecord()
        {
            Enqueue(async work =>
            {
                var page = await DataSettingsPage.OpenAsync(work.Session, work.WriteVerbose, work.Cancel);
                var all = DataSettingsPage.SettingNames(work.Session.Profile).ToList();
                var names = new List<string>();
                foreach (string pattern in Name ?? all.ToArray())
                {
                    if (WildcardPattern.ContainsWildcardCharacters(pattern))
                    {
                        var wildcard = WildcardPattern.Get(pattern.Trim(), WildcardOptions.IgnoreCase);
                        names.AddRange(all.Where(n => wildcard.IsMatch(n)));
                    }
                    else
                    {
                        names.Add(pattern);
                    }
                }
                foreach (string name in names.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    try
                    {
                        var setting = await page.ReadAsync(SettingRequest.Canonical(work.Session.Profile, name));
                        setting.Session = work.Session;
                        work.WriteObject(setting);
                    }
                    catch (AlexaException e) when (e.ErrorId == AlexaErrorId.SettingUnavailable || e.ErrorId == AlexaErrorId.InvalidInput)
                    {
                        work.WriteError(e.ForAccount(work.Session.Account)); // one missing setting does not hide the others
                    }
                }
            });
        }
    }
}
