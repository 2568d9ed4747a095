# Pins the module's help: every exported cmdlet has PlatyPS-schema markdown in docs/en-US that agrees
# with the cmdlet's real parameters (what PlatyPS's Update-MarkdownHelp would change fails here),
# the built MAML and about topic reach Get-Help, and nothing ships with a '{{ ... }}' placeholder.
# Data-driven over the module's exported commands, so a new cmdlet is checked without new tests.
# Needs no browser.

BeforeDiscovery {
    $modulePath = $env:ALEXAPRIVACY_TEST_MODULE
    if (-not $modulePath) { $modulePath = Join-Path $PSScriptRoot '../../out/AlexaPrivacy/AlexaPrivacy.psd1' }
    $module = Import-Module $modulePath -Force -PassThru
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:Commands = @(Get-Command -Module $module.Name | Sort-Object Name | ForEach-Object {
            @{
                Name       = $_.Name
                # A parameter hidden (DontShow) in every set is no part of the help.
                Parameters = @($_.Parameters.Values | Where-Object {
                        $attributes = @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
                        -not ($attributes.Count -gt 0 -and -not ($attributes | Where-Object { -not $_.DontShow }))
                    } | ForEach-Object Name | Where-Object { $_ -notin $common -or $_ -in 'WhatIf', 'Confirm' } | Sort-Object)
            }
        })
    $script:ErrorIds = @([AlexaPrivacy.AlexaErrorId].GetFields() | Where-Object IsLiteral | ForEach-Object { @{ Id = $_.GetValue($null) } })
    $script:DocFiles = @(Get-ChildItem (Join-Path $PSScriptRoot '../../docs') -Recurse -Filter *.md | ForEach-Object { @{ File = $_.FullName; Leaf = $_.Name } })
}

BeforeAll {
    $modulePath = $env:ALEXAPRIVACY_TEST_MODULE
    if (-not $modulePath) { $modulePath = Join-Path $PSScriptRoot '../../out/AlexaPrivacy/AlexaPrivacy.psd1' }
    $script:Module = Import-Module $modulePath -Force -PassThru
    $script:ManifestPath = Join-Path $script:Module.ModuleBase "$($script:Module.Name).psd1"
    $script:DocsPath = Join-Path $PSScriptRoot '../../docs/en-US'
    . (Join-Path $PSScriptRoot '../../tools/HelpMarkdown.ps1')

    function Get-DocPath([string] $Name) { Join-Path $script:DocsPath "$Name.md" }
    function Get-Doc([string] $Name) { Read-HelpMarkdown (Get-DocPath $Name) }
    function Get-DocParameter($Doc, [string] $Name) { $Doc.Parameters | Where-Object Name -EQ $Name | Select-Object -First 1 }
    # The markdown's metadata block that covers one parameter set ('(All)' covers every set).
    function Get-DocBlock($DocParameter, [string] $Set) {
        $DocParameter.Metadata | Where-Object { $_.ParameterSets -contains $Set } | Select-Object -First 1
    }
    function Get-HelpText($Items) { (@($Items | ForEach-Object { if ($_ -and $_.PSObject.Properties['Text']) { $_.Text } }) -join "`n").Trim() }
    function Format-Syntax([string] $Text) { ($Text -replace '\s+', ' ').Trim() }
}

Describe 'The module manifest' {
    It 'exports exactly the cmdlets that CmdletsToExport names' {
        $manifest = Import-PowerShellDataFile $script:ManifestPath
        $exported = @(Get-Command -Module $script:Module.Name | ForEach-Object Name | Sort-Object)
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be $exported
    }

    It 'exports no functions, aliases or variables beside its cmdlets' {
        $manifest = Import-PowerShellDataFile $script:ManifestPath
        @($manifest.FunctionsToExport) | Should -BeNullOrEmpty
        @($manifest.AliasesToExport) | Should -BeNullOrEmpty
        @($manifest.VariablesToExport) | Should -BeNullOrEmpty
    }

    It 'keeps no markdown help for a command the module does not export' {
        $exported = @(Get-Command -Module $script:Module.Name | ForEach-Object Name)
        $documented = @(Get-ChildItem $script:DocsPath -Filter *.md | Where-Object BaseName -NotLike 'about_*' | ForEach-Object BaseName)
        $documented | Where-Object { $_ -notin $exported } | Should -BeNullOrEmpty
    }
}

Describe 'The help of <Name>' -ForEach $Commands {
    BeforeAll {
        $command = Get-Command $Name
        $meta = Get-HelpCommandMetadata $command
        $docPath = Get-DocPath $Name
        $doc = if (Test-Path $docPath) { Read-HelpMarkdown $docPath }
        $help = Get-Help $Name -Full
    }

    It 'uses an approved verb' {
        $command.Verb | Should -BeIn (Get-Verb).Verb
    }

    It 'has a markdown file in docs/en-US in PlatyPS schema 2.0.0' {
        $docPath | Should -Exist
        $doc.Name | Should -Be $Name
        $doc.Metadata['schema'] | Should -Be '2.0.0'
        $doc.Metadata['Module Name'] | Should -Be $script:Module.Name
        $doc.Metadata['external help file'] | Should -Be (Split-Path -Leaf $command.HelpFile)
        @($doc.Sections.Keys) | Should -Be @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
    }

    It 'shows a synopsis with Get-Help' {
        $synopsis = [string]$help.Synopsis
        $synopsis.Trim() | Should -Not -BeNullOrEmpty
        # Without MAML, Get-Help makes the synopsis up from the syntax.
        $synopsis | Should -Not -BeLike "$Name *"
    }

    It 'shows a description with Get-Help' {
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'shows at least one example with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            Get-HelpText $example.remarks | Should -Not -BeNullOrEmpty
        }
    }

    It 'keeps every example title under 62 characters, so Get-Help frames it with dashes' {
        foreach ($example in $doc.Examples) { $example.Title.Length | Should -BeLessThan 62 -Because "'$($example.Title)' runs into the example before it otherwise" }
    }

    It 'documents its inputs and outputs' {
        @($doc.Inputs).Count | Should -BeGreaterThan 0
        @($doc.Outputs).Count | Should -BeGreaterThan 0
        foreach ($type in @($command.OutputType | ForEach-Object Type | Where-Object { $_ -and $_ -ne [void] })) {
            @($doc.Outputs.TypeName) | Should -Contain $type.FullName -Because "[OutputType] says $Name writes $($type.FullName)"
        }
    }

    It 'lists one syntax block per real parameter set, as Get-Command shows it' {
        $expected = @($meta.Syntax | ForEach-Object { "$($_.ParameterSetName)$(if ($_.IsDefault) { ' (Default)' }): $(Format-Syntax $_.Text)" })
        $actual = @($doc.Syntax | ForEach-Object { "$($_.ParameterSetName)$(if ($_.IsDefault) { ' (Default)' }): $(Format-Syntax $_.Text)" })
        $actual | Should -Be $expected
    }

    It 'keeps the hidden -InputRow (it only catches rows that bind nothing) out of SYNTAX and the parameters' {
        Get-Content $docPath -Raw | Should -Not -Match 'InputRow|AlexaPipedRow'
        ($help.syntax | Out-String -Width 1000) | Should -Not -Match 'InputRow'
    }

    It 'documents no parameter the cmdlet does not have' {
        @($doc.Parameters.Name | Where-Object { $_ -notin $meta.Parameters.Name }) | Should -BeNullOrEmpty
    }

    It 'declares the common parameters' {
        $doc.SupportsCommonParameters | Should -BeTrue
    }

    Context 'parameter -<_>' -ForEach $Parameters {
        BeforeAll {
            $parameterName = $_
            $real = $meta.Parameters | Where-Object Name -EQ $parameterName
            $documented = Get-DocParameter $doc $parameterName
        }

        It 'is described in the markdown and by Get-Help -Parameter' {
            $documented | Should -Not -BeNullOrEmpty -Because "docs/en-US/$Name.md needs a '### -$parameterName' section"
            ($documented.Description -join ' ').Trim() | Should -Not -BeNullOrEmpty
            Get-HelpText (Get-Help $Name -Parameter $parameterName).description | Should -Not -BeNullOrEmpty
        }

        It 'has its real type' {
            @($documented.Metadata).Count | Should -BeGreaterThan 0
            foreach ($block in $documented.Metadata) { $block.Type | Should -BeIn @($real.Type, $real.FullType) }
        }

        It 'has its real parameter sets' {
            $expectedSets = @($real.Blocks.ParameterSets | Sort-Object)
            @($documented.Metadata.ParameterSets | Sort-Object) | Should -Be $expectedSets
        }

        It 'is mandatory, positional and bound from the pipeline as the cmdlet declares, in each set' {
            foreach ($block in $real.Blocks) {
                foreach ($set in $block.ParameterSets) {
                    $docBlock = Get-DocBlock $documented $set
                    $docBlock | Should -Not -BeNullOrEmpty -Because "-$parameterName is in the parameter set '$set'"
                    $docBlock.Required | Should -Be $block.Required -Because "Required of -$parameterName in '$set'"
                    $docBlock.Position | Should -Be $block.Position -Because "Position of -$parameterName in '$set'"
                    $docBlock.PipelineInput | Should -Be $block.PipelineInput -Because "Accept pipeline input of -$parameterName in '$set'"
                }
            }
        }

        It 'has its real aliases, accepted values and wildcard support' {
            foreach ($block in $documented.Metadata) {
                @($block.Aliases | Sort-Object) | Should -Be @($real.Aliases | Sort-Object)
                @($block.AcceptedValues | Sort-Object) | Should -Be @($real.AcceptedValues | Sort-Object)
                $block.Globbing | Should -Be $real.Globbing
            }
        }

        It 'states its real default value' {
            $expected = if ($real.IsSwitch) { 'False' } elseif ($null -ne $real.DefaultValue) { [string]$real.DefaultValue }
            if ($null -ne $expected) {
                foreach ($block in $documented.Metadata) { $block.DefaultValue | Should -Be $expected }
            }
        }
    }
}

Describe 'The examples of Set-AlexaDataSetting' {
    BeforeAll {
        $code = @((Get-Help Set-AlexaDataSetting -Examples).examples.example | ForEach-Object code) -join "`n"
    }

    It 'show one account at the console with -WhatIf and -Confirm' {
        $code | Should -Match 'Connect-AlexaAccount'
        $code | Should -Match 'Set-AlexaDataSetting -Enabled \$false -WhatIf'
        $code | Should -Match 'Set-AlexaDataSetting -Enabled \$false -Confirm'
    }

    It 'show a CSV of accounts done in bulk with the results exported' {
        $code | Should -Match ([regex]::Escape('Import-Csv accounts.csv | Set-AlexaDataSetting -Enabled $false -PassThru | Export-Csv results.csv'))
        $code | Should -Match 'Email,Password,TotpSecret,Marketplace,SessionPath,Name,Enabled,Value'
    }

    It 'show an unattended script that tests first and stops on errors' {
        $code | Should -Match 'Test-AlexaDataSetting'
        $code | Should -Match "ErrorActionPreference = 'Stop'|-ErrorAction Stop"
        $code | Should -Match 'SessionPath'
    }
}

Describe 'The help files' {
    It 'leave no {{ placeholder in <Leaf>' -ForEach $DocFiles {
        Get-Content $File -Raw | Should -Not -Match '\{\{'
    }

    It 'ship the MAML and the about topic in the module''s en-US folder, with no {{ placeholder' {
        $folder = Join-Path $script:Module.ModuleBase 'en-US'
        foreach ($file in @((Join-Path $folder 'AlexaPrivacy.dll-Help.xml'), (Join-Path $folder 'about_AlexaPrivacy.help.txt'))) {
            $file | Should -Exist
            Get-Content $file -Raw | Should -Not -Match '\{\{'
        }
    }

    It 'ship MAML with one command:command per exported cmdlet' {
        $xml = [xml](Get-Content (Join-Path $script:Module.ModuleBase 'en-US/AlexaPrivacy.dll-Help.xml') -Raw)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $names = @($xml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object InnerText | Sort-Object)
        $names | Should -Be @(Get-Command -Module $script:Module.Name | ForEach-Object Name | Sort-Object)
    }
}

Describe 'about_AlexaPrivacy' {
    BeforeAll {
        $aboutText = (Get-Help about_AlexaPrivacy | Out-String)
        $aboutMarkdown = Get-Content (Join-Path $script:DocsPath 'about_AlexaPrivacy.md') -Raw
    }

    It 'is found by Get-Help and has a short and a long description' {
        $aboutText | Should -Match 'about_alexaprivacy'
        $aboutText | Should -Match 'SHORT DESCRIPTION\s+\S'
        $aboutText | Should -Match 'LONG DESCRIPTION\s+\S'
        $aboutText.Length | Should -BeGreaterThan 2000
    }

    It 'explains what to do about the error <Id>' -ForEach $ErrorIds {
        $aboutMarkdown | Should -Match "(?m)^- $([regex]::Escape($Id)): \S"
    }

    It 'lists every marketplace of the embedded site profile' {
        $stream = [AlexaPrivacy.AlexaSession].Assembly.GetManifestResourceStream('AlexaPrivacy.SiteProfile.json')
        $profile = [System.IO.StreamReader]::new($stream).ReadToEnd() | ConvertFrom-Json
        foreach ($marketplace in $profile.marketplaces.PSObject.Properties.Name) {
            $aboutMarkdown | Should -Match ([regex]::Escape("| $marketplace ")) -Because "$marketplace is a marketplace of the site profile"
        }
    }

    It 'describes every CSV column that Set-AlexaDataSetting binds by property name' {
        $columns = (Get-Command Set-AlexaDataSetting).Parameters.Values |
            Where-Object { $_.ParameterSets.Values.ValueFromPipelineByPropertyName -contains $true -and $_.ParameterType -ne [pscredential] } |
            ForEach-Object Name
        foreach ($column in $columns) {
            $aboutMarkdown | Should -Match "(?m)^\| $column\s+\|" -Because "the CSV column $column binds to -$column"
        }
    }

    It 'points to <Name> under SEE ALSO' -ForEach $Commands {
        $seeAlso = ($aboutMarkdown -split '(?m)^# SEE ALSO\s*$')[-1] -split '(?m)^# ' | Select-Object -First 1
        $seeAlso | Should -Match "(?m)^- $([regex]::Escape($Name))\s*$"
    }

    It 'explains every environment variable the module reads' {
        $variables = [AlexaPrivacy.AlexaSession].Assembly.GetTypes() |
            ForEach-Object { $_.GetFields([System.Reflection.BindingFlags]'Public, NonPublic, Static') } |
            Where-Object { $_.IsLiteral -and $_.FieldType -eq [string] } |
            ForEach-Object { $_.GetValue($null) } | Where-Object { $_ -match '^ALEXAPRIVACY_[A-Z_]+$' } | Sort-Object -Unique
        $variables | Should -Not -BeNullOrEmpty
        foreach ($variable in $variables) {
            $aboutMarkdown | Should -Match ([regex]::Escape("`$env:$variable")) -Because "the module reads `$env:$variable"
        }
    }

    It 'names the site profile override variable and the -ThrottleLimit parameter' {
        $aboutMarkdown | Should -Match 'ALEXAPRIVACY_SITE_PROFILE'
        $aboutMarkdown | Should -Match '-ThrottleLimit'
    }
}

Describe 'The help converter' {
    BeforeAll {
        $sample = @'
---
external help file: Sample.dll-Help.xml
Module Name: Sample
online version:
schema: 2.0.0
---

# Get-Sample

## SYNOPSIS
Gets a sample.

## SYNTAX

### ByName (Default)
```
Get-Sample [-Name] <String> [-Force] [<CommonParameters>]
```

### ById
```
Get-Sample -Id <Int32> [-Force] [<CommonParameters>]
```

## DESCRIPTION
First paragraph
on two lines.

Second paragraph.

## EXAMPLES

### Example 1: Get one
```powershell
Get-Sample x
```

Gets x & more.

## PARAMETERS

### -Name
The name.

```yaml
Type: String
Parameter Sets: ByName
Aliases: N, SampleName

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
```

### -Id
The id.

```yaml
Type: Int32
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Forces it.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
Common.

## INPUTS

### System.String

## OUTPUTS

### Sample.Thing
A thing.

## NOTES
A note.

## RELATED LINKS

[Online](https://example.com/sample)

[about_Sample](about_Sample.md)
'@
        $path = Join-Path $TestDrive 'Get-Sample.md'
        Set-Content -Path $path -Value $sample
        $maml = [xml](ConvertTo-HelpMaml -Help (Read-HelpMarkdown $path))
        $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('msh', 'http://msh')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $command = $maml.SelectSingleNode('/msh:helpItems/command:command', $ns)
    }

    It 'writes PlatyPS''s document root and command namespaces' {
        $maml.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        $command | Should -Not -BeNullOrEmpty
        $command.SelectSingleNode('command:details/command:name', $ns).InnerText | Should -Be 'Get-Sample'
        $command.SelectSingleNode('command:details/command:verb', $ns).InnerText | Should -Be 'Get'
        $command.SelectSingleNode('command:details/command:noun', $ns).InnerText | Should -Be 'Sample'
        $command.SelectSingleNode('command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Gets a sample.'
    }

    It 'writes one maml:para per markdown paragraph' {
        @($command.SelectNodes('maml:description/maml:para', $ns) | ForEach-Object InnerText) |
            Should -Be @('First paragraph on two lines.', 'Second paragraph.')
    }

    It 'builds one syntax item per parameter set from the parameters'' metadata, positional parameters first' {
        $items = @($command.SelectNodes('command:syntax/command:syntaxItem', $ns))
        $items.Count | Should -Be 2
        @($items[0].SelectNodes('command:parameter/maml:name', $ns) | ForEach-Object InnerText) | Should -Be @('Name', 'Force')
        @($items[1].SelectNodes('command:parameter/maml:name', $ns) | ForEach-Object InnerText) | Should -Be @('Id', 'Force')
        # Switches carry no parameterValue in the syntax, as in PlatyPS.
        $items[0].SelectSingleNode("command:parameter[maml:name='Force']/command:parameterValue", $ns) | Should -BeNullOrEmpty
    }

    It 'writes the parameter attributes PlatyPS writes' {
        $name = $command.SelectSingleNode("command:parameters/command:parameter[maml:name='Name']", $ns)
        $name.GetAttribute('required') | Should -Be 'true'
        $name.GetAttribute('variableLength') | Should -Be 'true'
        $name.GetAttribute('globbing') | Should -Be 'true'
        $name.GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $name.GetAttribute('position') | Should -Be '0'
        $name.GetAttribute('aliases') | Should -Be 'N, SampleName'
        $name.SelectSingleNode('command:parameterValue', $ns).InnerText | Should -Be 'String'
        $name.SelectSingleNode('dev:type/maml:name', $ns).InnerText | Should -Be 'String'
        $name.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be 'None'
        $id = $command.SelectSingleNode("command:parameters/command:parameter[maml:name='Id']", $ns)
        $id.GetAttribute('aliases') | Should -Be 'none'
        $id.GetAttribute('position') | Should -Be 'named'
    }

    It 'writes inputs, outputs, notes, a padded example title, and links with absolute URIs only' {
        $command.SelectSingleNode('command:inputTypes/command:inputType/dev:type/maml:name', $ns).InnerText | Should -Be 'System.String'
        $command.SelectSingleNode('command:returnValues/command:returnValue/dev:type/maml:name', $ns).InnerText | Should -Be 'Sample.Thing'
        $command.SelectSingleNode('maml:alertSet/maml:alert/maml:para', $ns).InnerText | Should -Be 'A note.'
        $example = $command.SelectSingleNode('command:examples/command:example', $ns)
        $example.SelectSingleNode('maml:title', $ns).InnerText | Should -Match '^-+ Example 1: Get one -+$'
        $example.SelectSingleNode('dev:code', $ns).InnerText | Should -Be 'Get-Sample x'
        $example.SelectSingleNode('dev:remarks/maml:para', $ns).InnerText | Should -Be 'Gets x & more.'
        $links = @($command.SelectNodes('command:relatedLinks/maml:navigationLink', $ns))
        @($links | ForEach-Object { $_.SelectSingleNode('maml:linkText', $ns).InnerText }) | Should -Be @('Online', 'about_Sample')
        @($links | ForEach-Object { $_.SelectSingleNode('maml:uri', $ns).InnerText }) | Should -Be @('https://example.com/sample', '')
    }

    It 'rejects a parameter metadata key that PlatyPS does not know' {
        Set-Content -Path (Join-Path $TestDrive 'Bad.md') -Value ($sample -replace 'Accept wildcard characters: False', 'Wildcards: False')
        { Read-HelpMarkdown (Join-Path $TestDrive 'Bad.md') } | Should -Throw '*unknown key*'
    }

    It 'lays out an about topic as PlatyPS does, within 80 columns' {
        $about = Join-Path $TestDrive 'about_Sample.md'
        Set-Content -Path $about -Value "# about_Sample`n`n## about_Sample`n`n# SHORT DESCRIPTION`nShort.`n`n# LONG DESCRIPTION`n$('word ' * 40)`n`n## Part`nText."
        $text = ConvertTo-AboutHelpText -Path $about
        $text | Should -Match "^TOPIC\n    about_sample\n\nSHORT DESCRIPTION\n    Short\.\n\nLONG DESCRIPTION\n    word"
        $text | Should -Match "\nPart\n    Text\.\n$"
        @($text -split "`n" | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
    }
}

Describe 'Times in the list views' {
    It 'shows times as ISO 8601 in Format-List whatever the culture' {
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $time = [DateTimeOffset]::new(2026, 3, 5, 14, 7, 9, [TimeSpan]::FromHours(1))
            $change = [AlexaPrivacy.AlexaSettingChange]@{ Account = 'ann@example.com'; Setting = 'VoiceRecordingReview'; OldValue = 'On'; NewValue = 'Off'; Changed = $true; Time = $time }
            $record = [AlexaPrivacy.AlexaVoiceRecord]@{ Account = 'ann@example.com'; Time = $time; Device = 'Kitchen Echo'; Transcript = 'hello' }
            $deletion = [AlexaPrivacy.AlexaVoiceDeletion]@{ Account = 'ann@example.com'; Requested = 1; Deleted = 1; Before = $time }
            foreach ($item in $change, $record, $deletion) {
                $text = $item | Format-List | Out-String
                $text | Should -Match '2026-03-05T14:07:09\+01:00'
                $text | Should -Not -Match '05\.03\.2026'
            }
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
    }
}
