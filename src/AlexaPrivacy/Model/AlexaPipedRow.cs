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

        /// <summary>The row's column names (never its values).</summary>
        public string[] Columns { get; }

        public override string ToString() => "(a row with the columns " + string.Join(", ", Columns) + ")";
    }
}
