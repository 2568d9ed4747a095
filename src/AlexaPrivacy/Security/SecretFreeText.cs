// Text from the browser layer that may reach an error: Playwright's messages end in a call log
// that quotes what was typed (fill("<value>")), so only a scrubbed first part is ever kept.
using System;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlexaPrivacy.Security
{
    internal static class SecretFreeText
    {
        // fill("..."), type("..."), press("..."), pressSequentially("..."), with either quote, as a call log shows them.
        private static readonly Regex TypedValue = new Regex(
            @"\b(fill|type|press|pressSequentially|insertText|setInputFiles|selectOption)\s*\(\s*(""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*')",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The first line of <paramref name="text"/>, with any quoted typed value removed.</summary>
        public static string FirstLine(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            int newline = text.IndexOf('\n');
            return Scrub(newline < 0 ? text : text.Substring(0, newline).TrimEnd());
        }

        /// <summary>Everything before a call log, with any quoted typed value removed.</summary>
        public static string Scrub(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            int log = text.IndexOf("Call log:", StringComparison.OrdinalIgnoreCase);
            if (log >= 0) text = text.Substring(0, log).TrimEnd();
            return TypedValue.Replace(text, m => m.Groups[1].Value + "(\"(removed)\"");
        }

        /// <summary>
        /// <paramref name="text"/> with every value of a saved browser state (a cookie's value, a stored
        /// item's value) of four characters or more removed, longest first; all of it when the state is not JSON.
        /// </summary>
        public static string WithoutStateValues(string text, string storageState)
        {
            if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(storageState)) return text ?? "";
            var values = new List<string>();
            try
            {
                using (var document = JsonDocument.Parse(storageState)) CollectValues(document.RootElement, values);
            }
            catch (JsonException)
            {
                return "(a message about the saved state, removed: the state is not readable)";
            }
            values.Sort((a, b) => b.Length.CompareTo(a.Length));
            foreach (var value in values) text = text.Replace(value, "(removed)");
            return text;
        }

        // JSON as a JavaScript message prints it: only quotes, backslashes and control characters escaped.
        private static readonly JsonSerializerOptions Quoting = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static void CollectValues(JsonElement element, List<string> values)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.NameEquals("value") && property.Value.ValueKind == JsonValueKind.String)
                        {
                            string value = property.Value.GetString();
                            if (value.Length < 4) continue;
                            values.Add(value);
                            // As a message may quote it, JSON-escaped.
                            string escaped = JsonSerializer.Serialize(value, Quoting);
                            escaped = escaped.Substring(1, escaped.Length - 2);
                            if (escaped != value) values.Add(escaped);
                        }
                        else CollectValues(property.Value, values);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) CollectValues(item, values);
                    break;
            }
        }

        /// <summary>
        /// An exception that may carry a typed value (Playwright's, or one wrapping it) as a plain one
        /// that keeps its type's name and a scrubbed message, with no inner exception, data or stack;
        /// the module's own exceptions pass unchanged.
        /// </summary>
        public static Exception Detach(Exception inner)
        {
            if (inner == null || inner is AlexaException) return inner;
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Count == 1) return Detach(aggregate.InnerException);
            return new BrowserFailure(inner.GetType().Name + ": " + FirstLine(inner.Message));
        }
    }

    /// <summary>What stays of a failure below the module: its kind and first line, secret-free.</summary>
    public sealed class BrowserFailure : Exception
    {
        public BrowserFailure(string message) : base(message) { }
    }
}
