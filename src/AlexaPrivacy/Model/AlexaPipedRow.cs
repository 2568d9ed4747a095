// The type of the hidden -InputRow parameters: any piped object that binds no other parameter.
using System.Linq;
using System.Management.Automation;

namespace AlexaPrivacy
{
    /// <summary>
    /// A piped object (a CSV row, say) taken as it is. PowerShell converts to it only when no other
    /// parameter takes the object, so a row whose columns bind nothing (no Email column, or account
    /// columns with -Session given) reaches the module's own error, which names the row's columns and
    /// none of its values, instead of PowerShell's binding error, whose target would be the raw row,
    /// password included. Settings, records and sessions still bind to their own parameters.
    /// </summary>
    public sealed class AlexaPipedRow
    {
        public AlexaPipedRow(PSObject row)
        {
            Columns = row == null ? new string[0] : row.Properties.Select(p => p.Name).ToArray();
        }

        /// <summary>A hashtable piped in: PowerShell binds no parameter from its keys.</summary>
        public AlexaPipedRow(System.Collections.IDictionary row)
        {
            Columns = row == null ? new string[0] : row.Keys.Cast<object>().Select(k => k?.ToString()).ToArray();
            IsDictionary = true;
        }

        /// <summary>A plain string piped in (an email address, say): it has no columns to bind.</summary>
        public AlexaPipedRow(string text)
        {
            Columns = new string[0];
            IsText = true;
        }

        /// <summary>True for a plain string piped in.</summary>
        public bool IsText { get; }

        /// <summary>The row's column names (never its values).</summary>
        public string[] Columns { get; }

        /// <summary>True for a hashtable, whose keys would bind as columns once it is a [pscustomobject].</summary>
        public bool IsDictionary { get; }

        public override string ToString() => IsText ? "(a string)" : "(a row with the columns " + string.Join(", ", Columns) + ")";
    }
}
