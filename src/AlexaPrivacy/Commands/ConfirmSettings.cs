// The one place that reads -WhatIf, -Confirm and $WhatIfPreference/$ConfirmPreference: every
// question before a change (AlexaCmdlet.ConfirmChange) and every "only show it" decision uses these.
using System;
using System.Management.Automation;

namespace AlexaPrivacy.Commands
{
    internal static class ConfirmSettings
    {
        /// <summary>True when -WhatIf (or $WhatIfPreference) asks only to show what would change.</summary>
        public static bool WhatIf(PSCmdlet cmdlet) => cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>-Confirm as given on the command line: true, false, or null when not given.</summary>
        public static bool? Confirm(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) ? ((SwitchParameter)confirm).IsPresent : (bool?)null;

        /// <summary>$ConfirmPreference; High when it cannot be read.</summary>
        public static ConfirmImpact Preference(PSCmdlet cmdlet)
        {
            var preference = cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference");
            if (preference is ConfirmImpact impact) return impact;
            return Enum.TryParse(Convert.ToString(preference), true, out ConfirmImpact parsed) ? parsed : ConfirmImpact.High;
        }

        /// <summary>True when $ConfirmPreference is 'None': nothing is asked.</summary>
        public static bool PreferenceIsNone(PSCmdlet cmdlet) => Preference(cmdlet) == ConfirmImpact.None;
    }
}
