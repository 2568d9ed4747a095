#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Brings docs/en-US/<Cmdlet>.md in step with the built module, as PlatyPS's New-MarkdownHelp and
    Update-MarkdownHelp do where PlatyPS cannot be installed.
.DESCRIPTION
    For every cmdlet the module exports:
    - no markdown yet: writes one in PlatyPS's schema with '{{ ... }}' placeholders for the prose
      (the help tests and the help build fail until a person replaces them);
    - markdown exists: rewrites the SYNTAX section and every parameter's metadata block from the
      cmdlet's real parameters, adds parameters the file lacks (with a placeholder description),
      drops parameters the cmdlet no longer has, and keeps all prose as written.
    Run it after changing a cmdlet's parameters, then write or review the prose.
.EXAMPLE
    ./tools/HelpSync.ps1 -ModulePath out/AlexaPrivacy/AlexaPrivacy.psd1 -DocsPath docs/en-US
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    # Only these cmdlets (default: every exported cmdlet).
    [string[]] $Name
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'HelpMarkdown.ps1')

$module = Import-Module $ModulePath -Force -PassThru
$commands = @(Get-Command -Module $module.Name -CommandType Cmdlet, Function | Where-Object { -not $Name -or $_.Name -in $Name } | Sort-Object Name)
$nl = "`n"

$commonText = 'This cmdlet supports the common parameters: ' +
(($script:HelpCommonParameterNames | Where-Object { $_ -ne 'UseTransaction' } | Sort-Object | ForEach-Object { "-$_" }) -join ', ') -replace ', (-\w+)$', ', and $1'
$commonText += '. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'

function Format-DefaultValue {
    param($Parameter, [string] $Existing)
    if ($Existing -and $Existing -ne 'None' -and $null -eq $Parameter.DefaultValue) { return $Existing }
    if ($Parameter.IsSwitch) { return 'False' }
    if ($null -ne $Parameter.DefaultValue) { return [string]$Parameter.DefaultValue }
    'None'
}

function Format-SyntaxSection {
    param($Metadata)
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('')
    foreach ($s in $Metadata.Syntax) {
        $out.Add("### $($s.ParameterSetName)$(if ($s.IsDefault) { ' (Default)' })")
        $out.Add('```')
        $out.Add($s.Text)
        $out.Add('```')
        $out.Add('')
    }
    $out.ToArray()
}

function Format-YamlBlock {
    param($Parameter, [string] $ExistingDefault)
    foreach ($b in $Parameter.Blocks) {
        '```yaml'
        "Type: $($Parameter.Type)"
        "Parameter Sets: $($b.ParameterSets -join ', ')"
        "Aliases: $($Parameter.Aliases -join ', ')".TrimEnd()
        if ($Parameter.AcceptedValues.Count) { "Accepted values: $($Parameter.AcceptedValues -join ', ')" }
        ''
        "Required: $($b.Required)"
        "Position: $($b.Position)"
        "Default value: $(Format-DefaultValue $Parameter $ExistingDefault)"
        "Accept pipeline input: $($b.PipelineInput)"
        "Accept wildcard characters: $($Parameter.Globbing)"
        '```'
        ''
    }
}

function New-CommandMarkdown {
    param($Command, $Metadata, [string] $HelpFile)
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@('---', "external help file: $HelpFile", "Module Name: $($Command.ModuleName)", 'online version:', 'schema: 2.0.0', '---', '',
            "# $($Command.Name)", '', '## SYNOPSIS', '{{ Fill in the Synopsis }}', '', '## SYNTAX'))
    $lines.AddRange([string[]](Format-SyntaxSection $Metadata))
    $lines.AddRange([string[]]@('## DESCRIPTION', '{{ Fill in the Description }}', '', '## EXAMPLES', '', '### Example 1', '```powershell',
            'PS C:\> {{ Add example code here }}', '```', '', '{{ Add example description here }}', '', '## PARAMETERS', ''))
    foreach ($p in $Metadata.Parameters) {
        $lines.Add("### -$($p.Name)")
        $lines.Add("{{ Fill $($p.Name) Description }}")
        $lines.Add('')
        $lines.AddRange([string[]](Format-YamlBlock $p ''))
    }
    $lines.AddRange([string[]]@('### CommonParameters', $commonText, '', '## INPUTS', '', '### {{ Input type }}', '', '## OUTPUTS', ''))
    foreach ($t in @($Command.OutputType | ForEach-Object Type | Where-Object { $_ -and $_ -ne [void] })) { $lines.Add("### $($t.FullName)"); $lines.Add('{{ Describe the output }}'); $lines.Add('') }
    $lines.AddRange([string[]]@('## NOTES', '', '## RELATED LINKS', '', '[about_AlexaPrivacy](about_AlexaPrivacy.md)', ''))
    $lines -join $nl
}

function Update-CommandMarkdown {
    param([string] $Text, $Metadata)
    $lines = ($Text -replace "`r`n", "`n") -split "`n"
    $top = @(Get-HelpSection $lines 2)
    $out = [System.Collections.Generic.List[string]]::new()
    $out.AddRange([string[]]$top[0].Lines)
    foreach ($section in $top | Select-Object -Skip 1) {
        $out.Add("## $($section.Title)")
        switch ($section.Title.Trim().ToUpperInvariant()) {
            'SYNTAX' { $out.AddRange([string[]](Format-SyntaxSection $Metadata)) }
            'PARAMETERS' {
                $subs = @(Get-HelpSection $section.Lines.ToArray() 3)
                $out.AddRange([string[]]$subs[0].Lines)
                $existing = [ordered]@{}
                foreach ($sub in $subs | Select-Object -Skip 1) { $existing[($sub.Title.Trim() -replace '^-', '')] = $sub }
                $order = @($existing.Keys | Where-Object { $_ -ne 'CommonParameters' -and $_ -in $Metadata.Parameters.Name }) +
                @($Metadata.Parameters.Name | Where-Object { -not $existing.Contains($_) })
                foreach ($name in $order) {
                    $p = $Metadata.Parameters | Where-Object Name -EQ $name
                    $out.Add("### -$name")
                    $existingDefault = ''
                    if ($existing.Contains($name)) {
                        $blocks = Split-HelpMarkdownBlock $existing[$name].Lines.ToArray()
                        $yaml = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Info -eq 'yaml' })
                        if ($yaml) { $existingDefault = (Read-HelpYamlBlock $yaml[0].Lines $name).DefaultValue }
                        # Keep the prose: every line up to the first metadata block.
                        $prose = [System.Collections.Generic.List[string]]::new()
                        foreach ($l in $existing[$name].Lines) { if ($l -match '^```yaml') { break }; $prose.Add($l) }
                        while ($prose.Count -and $prose[$prose.Count - 1] -match '^\s*$') { $prose.RemoveAt($prose.Count - 1) }
                        $out.AddRange([string[]]$prose)
                    }
                    else {
                        Write-Warning "$($Metadata.Name): -$name is new; describe it in the markdown."
                        $out.Add("{{ Fill $name Description }}")
                    }
                    $out.Add('')
                    $out.AddRange([string[]](Format-YamlBlock $p $existingDefault))
                }
                foreach ($gone in $existing.Keys | Where-Object { $_ -ne 'CommonParameters' -and $_ -notin $Metadata.Parameters.Name }) {
                    Write-Warning "$($Metadata.Name): -$gone is no longer a parameter; its section was removed."
                }
                $out.AddRange([string[]]@('### CommonParameters', $commonText, ''))
            }
            default { $out.AddRange([string[]]$section.Lines) }
        }
    }
    ($out -join $nl).TrimEnd() + $nl
}

foreach ($command in $commands) {
    $metadata = Get-HelpCommandMetadata $command
    $path = Join-Path $DocsPath "$($command.Name).md"
    $helpFile = if ($command.HelpFile) { $command.HelpFile } else { "$($module.Name)-help.xml" }
    if (Test-Path $path) {
        $before = [System.IO.File]::ReadAllText($path)
        $after = Update-CommandMarkdown $before $metadata
        if ($after -ne ($before -replace "`r`n", "`n") -and $PSCmdlet.ShouldProcess($path, 'Update the syntax and parameter metadata')) {
            [System.IO.File]::WriteAllText($path, $after, [System.Text.UTF8Encoding]::new($false))
            Write-Host "Updated $path"
        }
    }
    elseif ($PSCmdlet.ShouldProcess($path, 'Create the markdown with placeholders')) {
        [System.IO.File]::WriteAllText($path, (New-CommandMarkdown $command $metadata $helpFile), [System.Text.UTF8Encoding]::new($false))
        Write-Host "Created ${path}: replace every '{{ ... }}' with real text."
    }
}
