// Lets CSV strings (and JSON or spreadsheet numbers) bind where the module wants secrets or booleans,
// without ever echoing a secret or leaving it in a binding error.
using System;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using System.Threading;
using AlexaPrivacy.Security;

namespace AlexaPrivacy.Execution
{
    /// <summary>
    /// Accepts a SecureString, a PSCredential (its password), text (a CSV column) or any other scalar
    /// (a number from JSON or a spreadsheet, as culture-invariant text) and binds a SecureString.
    /// Anything else is never thrown at here: PowerShell's binding error would keep the raw row, secret
    /// and all, in $Error. It binds a marked empty secret instead, which the cmdlet refuses with its own
    /// error whose target is the row with its secrets masked (<see cref="Refusal"/>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecretTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case PSCredential credential:
                    return credential.Password;
                case string text:
                    return FromText(text);
                default:
                    if (IsScalar(value)) return FromText(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return Refused("a " + value.GetType().Name);
            }
        }

        private static SecureString FromText(string text)
        {
            if (text.Length == 0) return null;
            var fromText = SecretText.ToSecure(text);
            PlainTextSecrets.Mark(fromText); // the command warns once per run
            return fromText;
        }

        // Numbers, booleans and characters; dates, arrays, tables and objects are not a secret's text.
        private static bool IsScalar(object value) =>
            value.GetType().IsPrimitive || value is decimal || value is System.Numerics.BigInteger;

        private static readonly ConditionalWeakTable<SecureString, string> RefusedSecrets = new ConditionalWeakTable<SecureString, string>();

        /// <summary>An empty secret that stands for a value that could not be taken; <paramref name="what"/> says what it was (never its value).</summary>
        internal static SecureString Refused(string what)
        {
            var marker = new SecureString();
            marker.MakeReadOnly();
            RefusedSecrets.Add(marker, what);
            return marker;
        }

        private static string RefusedAs(SecureString secret) => secret != null && RefusedSecrets.TryGetValue(secret, out var what) ? what : null;

        /// <summary>The module's own error for a secret column that could not be taken, or null when every one could.</summary>
        internal static AlexaException Refusal(SecureString password, SecureString totpSecret, PSCredential credential)
        {
            string what = RefusedAs(password);
            if (what != null)
                return AlexaException.InvalidInput($"The Password column holds {what}, which is not a password; nothing was typed.")
                    .WithRecommendation("Give the password as text, a SecureString or a PSCredential.");
            what = RefusedAs(totpSecret);
            if (what != null)
                return AlexaException.InvalidInput($"The TotpSecret column holds {what}, which is not a TOTP key; nothing was typed.")
                    .WithRecommendation("Give the authenticator key as text (base32, spaces allowed) or a SecureString.");
            what = RefusedAs(credential?.Password);
            if (what != null)
                return AlexaException.InvalidInput($"The Credential column holds {what}, not a PSCredential; nothing asks for a password from a row.")
                    .WithRecommendation("Give a PSCredential (Get-Credential ann@example.com), or the address in an Email column and the password in a Password column.");
            return null;
        }
    }

    /// <summary>
    /// Binds a PSCredential as it is. Unlike PowerShell's [Credential], it never asks for a password
    /// (a row or an unattended run must not wait on a prompt): anything else binds a credential whose
    /// password is refused, so the cmdlet reports the row with its own error.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CredentialTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case PSCredential credential:
                    return credential;
                case string _:
                    return new PSCredential("(not a credential)", SecretTransformationAttribute.Refused("text"));
                default:
                    return new PSCredential("(not a credential)", SecretTransformationAttribute.Refused("a " + value.GetType().Name));
            }
        }
    }

    /// <summary>The secrets that were made from plain text (a CSV column), so that the command warns once that they were.</summary>
    internal static class PlainTextSecrets
    {
        private static readonly ConditionalWeakTable<SecureString, object> Marked = new ConditionalWeakTable<SecureString, object>();

        public static void Mark(SecureString secret)
        {
            if (secret != null) Marked.GetValue(secret, _ => new object());
        }

        public static bool Has(SecureString secret) => secret != null && Marked.TryGetValue(secret, out _);
    }
}
