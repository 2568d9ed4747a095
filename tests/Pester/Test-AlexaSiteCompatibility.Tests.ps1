# Test-AlexaSiteCompatibility on "Review Voice History" in the default rendering: it finds every date
# and device choice, applies a custom date range as a person would and reports whether the page's own
# data request followed; a range step that fails is reported with what the page did and a screenshot.
# SiteCompatibility.Variants.Tests.ps1 runs the same check on the variant renderings of the filters.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = Join-Path $TestDrive 'diagnostics'
    # What the voice history check must report on a page that renders the contract faithfully.
    $script:VoiceHistoryRows = @('voiceHistory.heading', 'voiceHistory.filterToday', 'voiceHistory.filterYesterday', 'voiceHistory.filterLast7Days',
        'voiceHistory.filterLast30Days', 'voiceHistory.filterAllHistory', 'voiceHistory.filterCustom', 'voiceHistory.allDevices',
        'voiceHistory.deleteAll', 'voiceHistory.startDate', 'voiceHistory.endDate', 'voiceHistory.customRange')
    # The seven days before today, as the check asks for them.
    $script:RangeText = 'Custom {0:yyyy-MM-dd} to {1:yyyy-MM-dd}' -f (Get-Date).Date.AddDays(-7), (Get-Date).Date.AddDays(-1)
}

AfterAll {
    Remove-Item Env:ALEXAPRIVACY_DIAGNOSTICS_PATH -ErrorAction SilentlyContinue
    Get-Module AlexaPrivacy | Remove-Module -Force
}

Describe 'On the default rendering' {
    BeforeAll {
        $saved = $env:ALEXAPRIVACY_TEST_VARIANT
        $env:ALEXAPRIVACY_TEST_VARIANT = $null
        try { $script:Replica = Start-TestReplica } finally { $env:ALEXAPRIVACY_TEST_VARIANT = $saved }
        $script:Base = $Replica.BaseUri
    }
    AfterAll { Stop-TestReplica $Replica }
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'finds every filter choice, applies a custom range and sees the page ask for exactly that range' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $checks = @(Test-AlexaSiteCompatibility -Session $t.Session)
        $checks | Where-Object { -not $_.Found } | Should -BeNullOrEmpty
        $rows = @($checks | Where-Object Page -eq 'VoiceHistory')
        $rows.Label | Should -Be $VoiceHistoryRows
        $range = $rows | Where-Object Label -eq 'voiceHistory.customRange'
        $range.Role | Should -Be 'data request'
        $range.Text | Should -Be $RangeText
        $range.Detail | Should -Match 'asked for the range'
        ($rows | Where-Object Label -eq 'voiceHistory.filterCustom').Detail | Should -Be 'in a select'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reports the range step as not done, with a screenshot, when the page gets no records for the range' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $warnings = $null
        # Every answer of the feed is an error page, the one for the range included.
        Set-ReplicaFault $Replica @{ throttle = @{ status = 503; count = 1000; pathPrefix = '/alexa-privacy/apd/rvh/customer-history-records-v2' } }
        $checks = @(Test-AlexaSiteCompatibility -Session $t.Session -WarningVariable warnings -WarningAction SilentlyContinue)
        $range = $checks | Where-Object Label -eq 'voiceHistory.customRange'
        $range.Found | Should -BeFalse
        $range.Detail | Should -Match 'asked for the records of .* but was answered 503'
        $range.ScreenshotPath | Should -Exist
        ($checks | Where-Object { $_.Page -eq 'VoiceHistory' -and $_.Label -ne 'voiceHistory.customRange' }).Found | Should -Not -Contain $false
        $warnings | Should -Match 'voiceHistory.customRange'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reports the date fields and the range step as missing when "Custom" shows no "Start date"' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        Set-ReplicaFault $Replica @{ labelOverrides = @{ 'Start date' = 'From' } }
        $missing = @(Test-AlexaSiteCompatibility -Session $t.Session -MissingOnly -WarningAction SilentlyContinue)
        $missing.Label | Should -Be @('voiceHistory.startDate', 'voiceHistory.customRange')
        ($missing | Where-Object Label -eq 'voiceHistory.customRange').Detail | Should -Match "'Start date'"
        $missing[0].ScreenshotPath | Should -Exist
        Disconnect-AlexaAccount -Session $t.Session
    }
}
