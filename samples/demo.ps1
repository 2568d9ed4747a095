<#
.SYNOPSIS
    The AlexaPrivacy demo: starts the replica of Amazon's pages with sample accounts, turns off
    human review for one account at the console, then for a CSV of accounts through the pipeline.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReplicaPath
)
$ErrorActionPreference = 'Stop'
$samples = $PSScriptRoot
Import-Module $ModulePath

$info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($a in @($ReplicaPath, '--port', '0', '--accounts', (Join-Path $samples 'replica-accounts.json'))) { $info.ArgumentList.Add($a) }
$info.RedirectStandardOutput = $true
$info.UseShellExecute = $false
$replica = [System.Diagnostics.Process]::Start($info)
try {
    $line = $replica.StandardOutput.ReadLine()
    if ($line -notmatch 'Listening on (\S+)') { throw "The replica did not start: $line" }
    $base = $Matches[1]
    Write-Host "Replica of Amazon's pages at $base"

    Write-Host "`n== One account at the console: ann@example.com (password and TOTP key) ==" -ForegroundColor Cyan
    $password = ConvertTo-SecureString 'demo-password-ann' -AsPlainText -Force
    $totp = ConvertTo-SecureString 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP JBSW' -AsPlainText -Force
    Connect-AlexaAccount -Email 'ann@example.com' -Password $password -TotpSecret $totp -BaseUri $base | Format-Table | Out-Host
    Write-Host 'Get-AlexaDataSetting'
    Get-AlexaDataSetting | Format-Table | Out-Host
    Write-Host 'Set-AlexaDataSetting -Enabled $false -WhatIf'
    Set-AlexaDataSetting -Enabled $false -WhatIf
    Write-Host 'Set-AlexaDataSetting -Enabled $false -Confirm:$false -PassThru'
    Set-AlexaDataSetting -Enabled $false -Confirm:$false -PassThru | Format-Table | Out-Host
    Write-Host 'Get-AlexaDataSetting (after)'
    Get-AlexaDataSetting | Format-Table | Out-Host
    Disconnect-AlexaAccount

    Write-Host "`n== A CSV of accounts through the pipeline (dan's row has a wrong password) ==" -ForegroundColor Cyan
    Get-Content (Join-Path $samples 'accounts.csv') | Out-Host
    $results = Join-Path ([IO.Path]::GetTempPath()) 'alexaprivacy-demo-results.csv'
    Import-Csv (Join-Path $samples 'accounts.csv') |
        Set-AlexaDataSetting -BaseUri $base -Enabled $false -PassThru -Confirm:$false -ErrorAction Continue -ErrorVariable failures |
        Export-Csv $results -NoTypeInformation
    Write-Host "`nresults.csv:"
    Import-Csv $results | Format-Table Account, Setting, OldValue, NewValue, Changed | Out-Host
    Write-Host "$(@($failures).Count) row(s) failed: $(@($failures | ForEach-Object { "$($_.FullyQualifiedErrorId.Split(',')[0]) for $($_.TargetObject.Email)" }) -join '; ')"

    Write-Host "`n== What the replica stores now ==" -ForegroundColor Cyan
    foreach ($email in 'ann@example.com', 'bob@example.com', 'chloe@example.com', 'dan@example.com') {
        $stored = Invoke-RestMethod "$($base.TrimEnd('/'))/__replica/accounts/$email"
        '{0,-20} human review (VoiceRecordingReview): {1}' -f $email, $(if ($stored.settings.VoiceRecordingReview) { 'On' } else { 'Off' })
    }
}
finally {
    if (-not $replica.HasExited) { $replica.Kill($true) }
}
