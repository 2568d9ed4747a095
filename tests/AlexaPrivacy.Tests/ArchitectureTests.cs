// The module's layers, checked on its compiled types: Commands -> Execution -> Pages -> Browser,
// with Site, Security, Diagnostics and the model types below them all, the report made from objects
// alone, and no type outside Commands naming a cmdlet. Each rule is one test, so a failure names the rule it breaks.
using System;
using System.Linq;
using System.Management.Automation;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using Xunit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace AlexaPrivacy.Tests
{
    public class ArchitectureTests
    {
        private static readonly System.Reflection.Assembly ModuleAssembly = typeof(AlexaSession).Assembly;

        private static readonly Architecture Module = new ArchLoader().LoadAssemblies(ModuleAssembly).Build();

        private static IObjectProvider<IType> Layer(string name) =>
            Types().That().ResideInNamespace("AlexaPrivacy." + name).As(name);

        private static IObjectProvider<IType> Layers(params string[] names) =>
            Types().That().ResideInNamespaceMatching($@"^AlexaPrivacy\.({string.Join("|", names)})$").As(string.Join(", ", names));

        [Fact]
        public void Execution_does_not_depend_on_Commands() =>
            Types().That().ResideInNamespace("AlexaPrivacy.Execution")
                .Should().NotDependOnAny(Layer("Commands"))
                .Because("the runner and the use cases talk to a command only through IAccountHost")
                .Check(Module);

        [Fact]
        public void Pages_depend_on_neither_Commands_nor_Execution() =>
            Types().That().ResideInNamespace("AlexaPrivacy.Pages")
                .Should().NotDependOnAny(Layers("Commands", "Execution"))
                .Because("a page object is driven by the use cases and knows nothing of them (the timed phases it marks are Diagnostics)")
                .Check(Module);

        [Fact]
        public void Reports_depend_on_no_use_case_page_or_browser() =>
            Types().That().ResideInNamespace("AlexaPrivacy.Reports")
                .Should().NotDependOnAny(Layers("Commands", "Execution", "Pages", "Browser"))
                .Because("a report is made from the objects the commands returned, live or deserialized, without a browser")
                .Check(Module);

        [Fact]
        public void Browser_depends_on_no_layer_above_it() =>
            Types().That().ResideInNamespace("AlexaPrivacy.Browser")
                .Should().NotDependOnAny(Layers("Commands", "Execution", "Pages"))
                .Check(Module);

        [Fact]
        public void Site_and_Security_depend_on_no_layer_above_them() =>
            Types().That().ResideInNamespaceMatching(@"^AlexaPrivacy\.(Site|Security)$")
                .Should().NotDependOnAny(Layers("Commands", "Execution", "Pages", "Browser"))
                .Because("the site profile, a setting's wanted value and the private files are used by every layer")
                .Check(Module);

        [Fact]
        public void Diagnostics_depend_on_no_layer_above_them() =>
            Types().That().ResideInNamespace("AlexaPrivacy.Diagnostics")
                .Should().NotDependOnAny(Layers("Commands", "Execution", "Pages", "Browser"))
                .Because("traces, the diagnostics folder and the timed phases are used by every layer")
                .Check(Module);

        // ModuleLifetime is the module's own entry (it closes every browser when the module is removed), not a model type.
        [Fact]
        public void Model_depends_on_no_layer_above_it() =>
            Types().That().ResideInNamespace("AlexaPrivacy").And().DoNotHaveName("ModuleLifetime")
                .Should().NotDependOnAny(Layers("Commands", "Execution", "Pages", "Browser"))
                .Because("the output types, the sessions of a runspace and the policy are read without any cmdlet, use case or page")
                .Check(Module);

        [Fact]
        public void No_type_outside_Commands_names_a_cmdlet()
        {
            string[] cmdlets = ModuleAssembly.GetTypes().Where(t => typeof(Cmdlet).IsAssignableFrom(t)).Select(t => t.FullName).ToArray();
            Assert.Contains("AlexaPrivacy.Commands.AlexaCmdlet", cmdlets); // the rule below has something to look for
            Types().That().DoNotResideInNamespace("AlexaPrivacy.Commands")
                .Should().NotDependOnAny(Types().That().HaveFullNameMatching("^(" + string.Join("|", cmdlets.Select(System.Text.RegularExpressions.Regex.Escape)) + ")$").As("the cmdlets"))
                .Check(Module);
        }
    }
}
