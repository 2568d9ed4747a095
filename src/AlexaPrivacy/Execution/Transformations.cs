// Lets CSV strings bind where the module wants secrets or booleans, without ever echoing a secret.
using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using AlexaPrivacy.Security;

namespace AlexaPrivacy.Execution
{
    /// <summary>Accepts a SecureString, a PSCredential (its password) or plain text (a CSV column) and binds a SecureString.</summary>
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
                    if (text.Length == 0) return null;
                    var fromText = SecretText.ToSecure(text);
                    AlexaPrivacy.Commands.AlexaAccountCmdlet.MarkPlainText(fromText); // the cmdlet warns once per run
                    return fromText;
                default:
                    // Never put the value in the message: it may be a secret.
                    throw new ArgumentTransformationMetadataException(
                        $"A secret must be a SecureString, a PSCredential or text; a value of type {value.GetType().Name} was given.");
            }
        }
    }

    internal static class BooleanText
    {
        /// <summary>CSV-friendly booleans: true/false, yes/no, on/off, 1/0 in any case; anything else is null.</summary>
        public static bool? Parse(object value)
        {
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (value)
            {
                case bool b:
                    return b;
                case SwitchParameter s:
                    return s.IsPresent;
                case int i when i == 0 || i == 1:
                    return i == 1;
                case string text:
                    switch (text.Trim().ToLowerInvariant())
                    {
                        case "true": case "yes": case "on": case "1": case "$true": return true;
                        case "false": case "no": case "off": case "0": case "$false": return false;
                    }
                    return null;
                default:
                    return null;
            }
        }
    }
}
