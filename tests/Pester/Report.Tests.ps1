# Export-AlexaPrivacyReport: one self-contained HTML file read in real headless Chromium (its DOM
# and a screenshot kept in out/), every value escaped, what changed since an earlier report, and
# both files owner-only and never written through a link.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $script:OutDir = Join-Path $PSScriptRoot '../../out'
    $script:Chromium = @('/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser') | Where-Object { Test-Path $_ } | Select-Object -First 1

    # Runs headless Chromium on the file with a bounded wait; returns its standard output.
    function Invoke-Chromium {
        param([string[]] $Arguments)
        $info = [System.Diagnostics.ProcessStartInfo]::new($Chromium)
        foreach ($a in @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', "--user-data-dir=$(Join-Path $TestDrive "profile-$([guid]::NewGuid().ToString('N'))")") + $Arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $null = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'Chromium did not finish within 120 s.' }
        $stdout.Result
    }
    function Get-Dom {
        param([string] $Path)
        $html = Invoke-Chromium @('--dump-dom', ([System.Uri]::new($Path)).AbsoluteUri)
        $html | Should -Match '</html>'
        # The DOM as Chromium built and serialized it, made well-formed (void elements closed) for XPath queries.
        $xml = $html -replace '<!DOCTYPE html>', '' -replace '&nbsp;', '&#160;' -replace '<(meta|br|hr|img|input|link|wbr)\b([^>]*?)/?>', '<$1$2/>'
        ,([xml]$xml)
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Export-AlexaPrivacyReport' {
    It 'writes one self-contained page that Chromium renders: counts, settings per account, a chart per device and week, escaped values' {
        $Chromium | Should -Not -BeNullOrEmpty
        $evil = '<img src=x onerror="document.title=''pwned''">Den & "Kids"'
        $good = New-ReplicaAccount $Replica -Email (New-TestEmail 'cabin') -Settings @{ VoiceRecordingReview = $false; MessageTranscription = $false; DeletionByVoice = $true; VoiceRecordingRetention = 'ThreeMonths' }
        $bad = New-ReplicaAccount $Replica -Email (New-TestEmail 'condo') -Settings @{ VoiceRecordingReview = $true; MessageTranscription = $false; DeletionByVoice = $true; VoiceRecordingRetention = 'UntilDeleted' }
        Add-Records $good.Email @(
            @{ timestamp = (Get-Ms -1 9); device = 'Kitchen Echo'; transcript = 'one' }
            @{ timestamp = (Get-Ms -8 9); device = 'Kitchen Echo'; transcript = 'two' }
            @{ timestamp = (Get-Ms -8 10); device = $evil; transcript = '<script>document.title="pwned"</script>' }
        )
        $policy = @{ VoiceRecordingReview = 'Off'; MessageTranscription = 'Off'; DeletionByVoice = 'On'; VoiceRecordingRetention = 'ThreeMonths' }
        $rows = $good, $bad | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } }
        $results = $rows | Test-AlexaPrivacyPolicy -Policy $policy -BaseUri $Base -WarningAction SilentlyContinue
        $records = Get-AlexaVoiceHistory -Email $good.Email -Password $good.SecurePassword -BaseUri $Base
        @($records).Count | Should -Be 3

        $path = Join-Path $TestDrive 'report.html'
        $json = Join-Path $TestDrive 'report.json'
        $summary = @($results) + @($records) | Export-AlexaPrivacyReport -Path $path -JsonPath $json -Title 'Holiday rentals' -PassThru
        $summary.Accounts | Should -Be 2
        $summary.Compliant | Should -Be 1
        $summary.NotCompliant | Should -Be 1
        $summary.JsonPath | Should -Be $json
        $text = Get-Content $path -Raw
        # Self-contained: nothing to fetch, no script at all.
        $text | Should -Not -Match '<(script|link|img|iframe|object|embed)\b|@import|url\(|https?://'

        $doc = Get-Dom $path
        $doc.SelectSingleNode('//title').InnerText | Should -Be 'Holiday rentals'
        $doc.SelectSingleNode("//*[@id='accounts-count']").InnerText | Should -Be '2'
        $doc.SelectSingleNode("//*[@id='compliant-count']").InnerText | Should -Be '1'
        $doc.SelectSingleNode("//*[@id='noncompliant-count']").InnerText | Should -Be '1'
        $badRow = $doc.SelectSingleNode("//table[@id='accounts']//tr[@data-account='$($bad.Email)']")
        $badRow.SelectSingleNode("td[@data-setting='VoiceRecordingReview']").InnerText | Should -Be 'On'
        $badRow.SelectSingleNode("td[@data-setting='VoiceRecordingReview']").GetAttribute('class') | Should -Be 'bad'
        $badRow.SelectSingleNode("td[@data-setting='VoiceRecordingRetention']").InnerText | Should -Be 'UntilDeleted'
        $goodRow = $doc.SelectSingleNode("//table[@id='accounts']//tr[@data-account='$($good.Email)']")
        $goodRow.SelectSingleNode("td[@data-setting='VoiceRecordingRetention']").GetAttribute('class') | Should -Be 'ok'
        # The chart: bars per device and week, with the counts Amazon holds.
        $bars = @($doc.SelectNodes("//*[local-name()='rect'][@class='bar']"))
        ($bars | Measure-Object { [int]$_.GetAttribute('data-count') } -Sum).Sum | Should -Be 3
        ($bars | ForEach-Object { $_.GetAttribute('data-device') } | Sort-Object -Unique) | Should -Be (@('Kitchen Echo', $evil) | Sort-Object)
        # Escaped: the device name is text, not an element, and no script ran.
        @($doc.SelectNodes('//img')).Count | Should -Be 0
        @($doc.SelectNodes('//script')).Count | Should -Be 0
        $doc.SelectSingleNode("//ul[@class='legend']").InnerText | Should -Match ([regex]::Escape($evil))

        $null = New-Item -ItemType Directory -Force -Path $OutDir
        $shot = Join-Path $OutDir 'report.png'
        Remove-Item $shot -ErrorAction SilentlyContinue
        $null = Invoke-Chromium @("--screenshot=$shot", '--window-size=1280,1600', '--hide-scrollbars', ([System.Uri]::new($path)).AbsoluteUri)
        Test-Path $shot | Should -BeTrue
        (Get-Item $shot).Length | Should -BeGreaterThan 10000

        # A second report after the drifted account was fixed shows what changed since.
        Set-AlexaPrivacyPolicy -Policy $policy -Email $bad.Email -Password $bad.SecurePassword -BaseUri $Base -Force | Out-Null
        $results2 = $rows | Test-AlexaPrivacyPolicy -Policy $policy -BaseUri $Base -WarningAction SilentlyContinue
        $path2 = Join-Path $TestDrive 'report2.html'
        $summary2 = $results2 | Export-AlexaPrivacyReport -Path $path2 -Previous $json -PassThru
        $summary2.Compliant | Should -Be 2
        $summary2.ChangesSincePrevious | Should -Contain "$($bad.Email): now compliant (was not compliant)."
        $summary2.ChangesSincePrevious | Should -Contain "$($bad.Email): VoiceRecordingReview On -> Off."
        $summary2.ChangesSincePrevious | Should -Contain "$($bad.Email): VoiceRecordingRetention UntilDeleted -> ThreeMonths."
        $doc2 = Get-Dom $path2
        $since = @($doc2.SelectNodes("//section[@id='since']//li") | ForEach-Object InnerText)
        $since | Should -Contain "$($bad.Email): now compliant (was not compliant)."
        $null = Invoke-Chromium @("--screenshot=$(Join-Path $OutDir 'report-since.png')", '--window-size=1280,1000', '--hide-scrollbars', ([System.Uri]::new($path2)).AbsoluteUri)
    }

    It 'refuses objects it does not know, and a -Previous that is not a report' {
        $path = Join-Path $TestDrive 'odd.html'
        $errors = $null
        Get-Date | Export-AlexaPrivacyReport -Path $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput*'
        Test-Path $path | Should -BeTrue
        $notJson = Join-Path $TestDrive 'not.json'
        Set-Content $notJson 'hello'
        { Get-Date | Export-AlexaPrivacyReport -Path $path -Previous $notJson -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'AlexaInvalidInput,AlexaPrivacy.Commands.ExportAlexaPrivacyReportCommand'
    }

    It 'writes the report and its JSON owner-only (0600), replacing earlier ones whole' -Skip:$IsWindows {
        $record = [AlexaPrivacy.AlexaVoiceRecord]@{ Account = 'ann@example.com'; Time = [DateTimeOffset]::Now.AddDays(-1); Device = 'Kitchen Echo'; Transcript = 'one'; Key = 'k1' }
        $folder = Join-Path $TestDrive 'modes'
        $null = New-Item -ItemType Directory $folder
        $path = Join-Path $folder 'report.html'
        $json = Join-Path $folder 'report.json'
        foreach ($file in $path, $json) {
            Set-Content $file 'earlier'
            [System.IO.File]::SetUnixFileMode($file, [System.IO.UnixFileMode]([Convert]::ToInt32('644', 8)))
        }
        $record | Export-AlexaPrivacyReport -Path $path -JsonPath $json
        foreach ($file in $path, $json) { ([int][System.IO.File]::GetUnixFileMode($file)) -band 0x1ff | Should -Be ([Convert]::ToInt32('600', 8)) }
        Get-Content $path -Raw | Should -Match '</html>'
        (Get-Content $json -Raw | ConvertFrom-Json).generated | Should -Not -BeNullOrEmpty
        @(Get-ChildItem $folder -Force).Name | Sort-Object | Should -Be @('report.html', 'report.json')
    }

    It 'refuses a link at -Path or -JsonPath with AlexaFileUnsafe and leaves what it points at untouched: <Which>' -Skip:$IsWindows -ForEach @(
        @{ Which = 'Path' }
        @{ Which = 'JsonPath' }
    ) {
        $record = [AlexaPrivacy.AlexaVoiceRecord]@{ Account = 'ann@example.com'; Time = [DateTimeOffset]::Now.AddDays(-1); Device = 'Kitchen Echo'; Transcript = 'one'; Key = 'k1' }
        $folder = Join-Path $TestDrive "link-$Which"
        $null = New-Item -ItemType Directory $folder
        $victim = Join-Path $folder 'victim.txt'
        Set-Content $victim 'untouched'
        $link = Join-Path $folder 'linked'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim
        $path = Join-Path $folder 'report.html'
        $json = Join-Path $folder 'report.json'
        Set-Content $path 'earlier report'
        $arguments = @{ Path = $path; JsonPath = $json }
        $arguments[$Which] = $link
        $err = { $record | Export-AlexaPrivacyReport @arguments -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileUnsafe,AlexaPrivacy.Commands.ExportAlexaPrivacyReportCommand' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape($link))
        Get-Content $victim -Raw | Should -Be "untouched$([Environment]::NewLine)"
        (Get-Item $link).LinkTarget | Should -Be $victim
        # Nothing was written: the earlier report stays too when the JSON's path is the link.
        if ($Which -eq 'JsonPath') { Get-Content $path -Raw | Should -Be "earlier report$([Environment]::NewLine)" }
        @(Get-ChildItem $folder -Force -Filter '*.tmp').Count | Should -Be 0
    }
}
